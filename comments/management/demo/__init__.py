"""The demo_content command's material: articles, readers' names and comments, lead images.

The text lives in data/ (TOML, and one Markdown file per article); corpus.py reads it
and draws names and comments from it, images.py paints the lead images.
"""
