/// RefServer module.
public enum RefServerInfo {}
