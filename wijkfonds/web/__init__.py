"""The web plumbing: the factory's register_* steps, Flask's class, page layout, menu, labels, charts, role checks."""
