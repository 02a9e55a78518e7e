"""postctl's version, in a module of its own: every layer may read it without importing the
package root, which re-exports the Python API (postctl.api) above them."""

__version__ = "0.1.0"
