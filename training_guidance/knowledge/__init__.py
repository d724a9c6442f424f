from .loader import KnowledgeBase, KnowledgeError, cached_knowledge, load_knowledge
from .schema import Item, Source, Standard, Topic

__all__ = ["KnowledgeBase", "KnowledgeError", "cached_knowledge", "load_knowledge", "Item", "Source", "Standard", "Topic"]
