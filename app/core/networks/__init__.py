"""Discourse networks from coded statements (Contract 7): no Qt, no SQL, numpy only.

``options`` resolves what the user asked for against the codebook, ``periods`` does the
calendar (ISO weeks, months, windows), ``encode`` turns statement rows into integer codes,
``compute`` builds the networks, ``descriptives`` summarises them and ``drawing`` lays one out.
"""
