/// ControlPlaneSQLite module.
public enum ControlPlaneSQLiteInfo {}
