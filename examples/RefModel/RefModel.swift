/// RefModel module.
public enum RefModelInfo {}
