"""Attachments on labelled records: file checks, the attachable-model registry, reads, writes, pages.

See ``docs/attachments.md``. The model is ``core.models.Attachment``.
"""
