"""Helpers of the invoke tasks (tasks.py), kept apart so they can be tested on their own.

Not a Pelican plugin: ``build_report`` watches a build for what it dropped and logged,
``deploy_tools`` checks the programs a deploy runs, ``serving`` answers a missing page with the
site's 404 page, ``writing`` holds new-post's defaults.
"""
