import Leibniz
public enum _LeibnizTestingPlaceholder {}
