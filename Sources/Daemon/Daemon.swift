// The daemon: see MarsadDaemon.swift.
public enum DaemonPlaceholder {}
