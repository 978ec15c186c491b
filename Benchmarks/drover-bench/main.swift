print("drover-bench: not yet implemented")
