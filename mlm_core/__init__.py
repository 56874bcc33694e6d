"""MLM Explorer core: loading, analysis, masking, embeddings, training and evaluation of masked LMs."""
