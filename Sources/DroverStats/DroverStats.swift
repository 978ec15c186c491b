/// Pure statistics for drift, validation and detectors (no I/O).
public enum DroverStatsInfo {}
