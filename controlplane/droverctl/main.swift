print("droverctl: not yet implemented")
