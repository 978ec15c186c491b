print("drover-refserver: not yet implemented")
