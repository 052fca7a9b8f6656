package dev.shepherd.core.model;

/** The two sides of shepherding: the cheap local model and the expensive remote one. */
public enum ModelRole {
    /** The cheap, usually local, model that answers by default. */
    SMALL("small"),
    /** The expensive remote model that sells hints and full answers. */
    LARGE("large");

    private final String label;

    ModelRole(String label) {
        this.label = label;
    }

    /** Lower-case name used in messages, JSON and metrics tags. */
    public String label() {
        return label;
    }
}
