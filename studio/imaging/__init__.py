"""Image helpers shared by `studio.images` (the creative pipeline) and `studio.labels` (AI labels).

Import direction: `studio.images` -> `studio.labels` -> `studio.imaging`. Nothing here imports either.
"""
