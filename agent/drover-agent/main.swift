print("drover-agent: not yet implemented")
