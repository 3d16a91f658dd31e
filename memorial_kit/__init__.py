"""memorial-kit: memorial articles and inscriptions to gettext catalogs and print products.

The public API (see README.md, "Python API")::

    from memorial_kit import api
    ws = api.workspace(".")
"""
__version__ = "0.1.0"

__all__ = ["__version__"]
