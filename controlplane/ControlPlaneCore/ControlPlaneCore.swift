/// ControlPlaneCore module.
public enum ControlPlaneCoreInfo {}
