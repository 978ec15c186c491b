/// Test helpers: fakes, fixtures, free ports, process runners (tests only).
public enum DroverTestKitInfo {}
