print("genlab")
