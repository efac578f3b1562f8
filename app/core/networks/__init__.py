"""Discourse networks from coded statements (Contract 7): no Qt, no SQL, numpy only.

``data`` is the input (plain statement rows of one coder, gold or the dataset), ``options``
resolves what the user asked for against the codebook, ``periods`` does the calendar (ISO
weeks, months, windows), ``encode`` turns rows into integer codes, ``compute`` holds the
formulas, ``build`` ties them together into one network or one per window (``model``),
``descriptives`` summarises a network and ``drawing`` lays one out for a picture.

scipy.sparse would have done the sparse products, but scipy is kept out of the bundle (it is a
test oracle only, and the bundle has a size budget); the pair enumeration in ``compute`` needs
nothing beyond numpy.
"""
