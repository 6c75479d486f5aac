from billing.mail import send_invoice


def month_end(customers):
    for name, total in customers.items():
        send_invoice(name, total)
