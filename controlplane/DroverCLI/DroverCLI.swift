/// DroverCLI module.
public enum DroverCLIInfo {}
