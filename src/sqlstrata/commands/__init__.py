"""Commands: one public function per verb; thin orchestration, no printing.

Functions return values (paths, revisions, heads); the CLI's Reporter prints them.
"""
