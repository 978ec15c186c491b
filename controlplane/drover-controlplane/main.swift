print("drover-controlplane: not yet implemented")
