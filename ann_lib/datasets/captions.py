"""Chapter 9 (placeholder: the chapter's author fills this module)."""

__all__: list[str] = []
