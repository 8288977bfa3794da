"""Moving comments in and out: Disqus and WordPress imports, Newsboard's own JSON file.

engine.py plans and writes an import whatever the format; disqus.py,
wordpress.py and jsonfile.py read the files; html.py turns other systems'
HTML into our Markdown; command.py is what the import commands share.
"""
