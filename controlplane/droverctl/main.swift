import DroverCLI

await DroverCTL.runAsMain()
