"""The teaching half of the atlas: one module per guide; the order here is the nav's order.

The pitfalls page (gen.guides.pitfalls) is last: it gathers the traps of every guide and the
pitfalls of every scheduler page, and adds its own.
"""

from gen.guides import compare, custom, libraries, pitfalls, recipes, resume, stepping
from gen.guides.model import Guide

GUIDES: tuple[Guide, ...] = (stepping.GUIDE, resume.GUIDE, recipes.GUIDE, libraries.GUIDE, custom.GUIDE, compare.GUIDE)
PITFALLS: Guide = pitfalls.GUIDE
