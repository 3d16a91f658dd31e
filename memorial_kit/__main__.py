import sys

try:
    from .cli import command
except KeyboardInterrupt:           # Ctrl-C while the kit's modules load: no traceback
    print("interrupted", file=sys.stderr)
    sys.exit(130)

command()
