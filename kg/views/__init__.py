"""HTML network views (pyvis / vis-network): one view, an entity's or an article's (render), or the whole
offline set (sets); the pages' templates and vis-network (pages); the colours and shapes (styles).

Public: `write_view`, `draw_view`, `render_view`, `write_views`, `default_styles`.
"""

from kg.views.render import draw_view, render_view, write_view
from kg.views.sets import write_views
from kg.views.styles import default_styles

__all__ = ["default_styles", "draw_view", "render_view", "write_view", "write_views"]
