"""The desktop app's widgets: one screen or panel per module, fed by core through signals."""
