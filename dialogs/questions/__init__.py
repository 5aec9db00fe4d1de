"""The questions of act mode: what they ask, the choices they offer, how they read an answer."""
