# SPDX-License-Identifier: GPL-2.0
# Sphinx configuration for handover's Documentation/ ("make docs").
project = 'handover'
copyright = 'the handover developers; GPL-2.0'
master_doc = 'index'
exclude_patterns = []
html_theme = 'alabaster'
highlight_language = 'none'
