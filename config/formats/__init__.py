"""Format modules (settings.FORMAT_MODULE_PATH): how numbers and dates read in each language.

Django uses a language's module here before its own, for the settings the module defines; the
others come from Django's module for that language.
"""
