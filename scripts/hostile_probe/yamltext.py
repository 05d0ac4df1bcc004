"""A minimal YAML writer for the probe's scenarios: nested dicts and lists in block style, leaves
inserted verbatim (so a leaf can be any hostile text)."""


class Raw(str):
    """Leaf text written as is."""


def dump(value, indent=0):
    pad = " " * indent
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:")
                lines.append(dump(item, indent + 2))
            else:
                lines.append(f"{pad}{key}: {leaf(item)}")
        return "\n".join(lines)
    if isinstance(value, list):
        lines = []
        for item in value:
            if isinstance(item, dict) and item:
                body = dump(item, indent + 2).lstrip()
                lines.append(f"{pad}- {body}")
            else:
                lines.append(f"{pad}- {leaf(item)}")
        return "\n".join(lines)
    return pad + leaf(value)


def leaf(value):
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return str(value)


def document(value):
    return dump(value) + "\n"
