"""memorial-kit: memorial articles and inscriptions to gettext catalogs and print products."""
__version__ = "0.1.0"
