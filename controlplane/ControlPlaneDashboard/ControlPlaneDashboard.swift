/// ControlPlaneDashboard module.
public enum ControlPlaneDashboardInfo {}
