class Inventory:
    def __init__(self):
        self.items = {}

    def add_item(self, sku, qty):
        self.items[sku] = self.items.get(sku, 0) + qty

    def remove_item(self, sku, qty):
        self.items[sku] -= qty

    def total_units(self):
        return sum(self.items.values())
