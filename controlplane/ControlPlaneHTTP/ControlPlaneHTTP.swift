/// ControlPlaneHTTP module.
public enum ControlPlaneHTTPInfo {}
