def send_invoice(customer, amount):
    print(f"invoice for {customer}: {amount}")
