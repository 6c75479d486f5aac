def slugify(title):
    return "-".join(title.split())
