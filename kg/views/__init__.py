"""HTML network views (pyvis / vis-network): one view, an entity's or an article's, or the whole offline set.

Public: `write_view`, `draw_view`, `write_views`, `render_view`.
"""

from kg.views.render import draw_view, render_view, write_view, write_views

__all__ = ["draw_view", "render_view", "write_view", "write_views"]
