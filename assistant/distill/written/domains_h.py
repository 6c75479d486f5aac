"""Held-out hand-written services (see ``assistant/distill/written/__init__.py``): set H.

No stage of ``make model`` trains on sets F-I: the ``written_heldout`` category draws from them
alone (``assistant/distill/tasks/written.py``).
"""

from __future__ import annotations

from assistant.distill.written import (
    YES,
    Action,
    Domain,
    Param,
    clock,
    code,
    count,
    date,
    decimal,
    month,
    words,
)

# -- shared parameters ------------------------------------------------------------------------
HOME = Param(
    "address",
    "string",
    "Property address as on the account.",
    words(
        "14 Lark Rise, Didcot",
        "Flat 3, 22 Gloucester Road, Bristol",
        "Ivy Cottage, Hathersage",
        "7 Bramble Way, Colchester",
        "31 Ferndale Terrace, Swansea",
    ),
)
FINISH = Param(
    "finish",
    "string",
    "Surface finish for the piece.",
    (
        ("french polish", "French polish"),
        ("french polish", "french polish"),
        ("wax", "wax"),
        ("wax", "beeswax"),
        ("oil", "oil"),
        ("oil", "Danish oil"),
    ),
    enum=("french polish", "wax", "oil"),
)
JEWEL = Param(
    "item",
    "string",
    "Kind of jewellery to engrave.",
    (
        ("ring", "ring"),
        ("ring", "wedding band"),
        ("bracelet", "bracelet"),
        ("bracelet", "bangle"),
        ("pendant", "pendant"),
        ("pendant", "locket"),
        ("cufflinks", "cufflinks"),
    ),
    enum=("ring", "bracelet", "pendant", "cufflinks"),
)

DOMAINS: list[Domain] = [
    # -- boiler servicing -----------------------------------------------------------------------
    Domain(
        "boiler_servicing",
        "annual boiler service visits",
        (
            Action(
                "book_boiler_service",
                "Book an engineer's annual service visit for a gas boiler.",
                (
                    HOME,
                    Param("service_date", "string", "Visit date as YYYY-MM-DD.", date),
                    Param(
                        "boiler_make",
                        "string",
                        "Boiler manufacturer.",
                        (
                            ("Worcester Bosch", "Worcester Bosch"),
                            ("Worcester Bosch", "Worcester"),
                            ("Vaillant", "Vaillant"),
                            ("Baxi", "Baxi"),
                            ("Ideal", "Ideal"),
                            ("Ideal", "Ideal Logic"),
                        ),
                        enum=("Worcester Bosch", "Vaillant", "Baxi", "Ideal"),
                    ),
                    Param(
                        "not_before",
                        "string",
                        "Earliest arrival time as HH:MM, 24-hour.",
                        clock,
                        say=(" Not before {v}, please.", " I'm not in until {v}."),
                    ),
                ),
                (
                    "Please book a service for the {boiler_make} boiler at {address} on "
                    "{service_date}.",
                    "boiler service {address}, {service_date}, it's a {boiler_make}.",
                    "Our {boiler_make} is due its yearly check. Could an engineer come to "
                    "{address} on {service_date}?",
                    "Can I get the boiler serviced on {service_date}? {address}, {boiler_make} "
                    "combi.",
                    "need a {boiler_make} service at {address} {service_date}",
                ),
                {
                    "engineer": ("Dan Whitlock", "Priya Nair", "Gareth Lloyd"),
                    "job_ref": ("BS-40718", "BS-52291", "BS-60835"),
                },
                "{engineer} will service the {boiler_make} at {address} on {service_date}: "
                "job {job_ref}.",
                "book boiler services",
                missing=(
                    (
                        "Can you book a Vaillant boiler service at Ivy Cottage, Hathersage?",
                        "Which date would you like the engineer to come?",
                    ),
                    (
                        "I need my Baxi boiler serviced on 2026-11-04, please.",
                        "What is the address of the property?",
                    ),
                ),
            ),
            Action(
                "boiler_service_due",
                "When a registered boiler was last serviced and when the next service is due.",
                (
                    Param(
                        "appliance_id",
                        "string",
                        "Registered appliance id from the last service sheet, e.g. 'BA-208341'.",
                        code("BA-######"),
                    ),
                    Param(
                        "include_warranty",
                        "boolean",
                        "Also say whether the manufacturer's warranty is still valid.",
                        YES,
                        say=(
                            " Is the warranty still OK too?",
                            " And tell me if the warranty's still valid.",
                        ),
                    ),
                ),
                (
                    "When is boiler {appliance_id} next due a service?",
                    "{appliance_id} service due?",
                    "I can't remember when the boiler was last looked at - the id on the sheet "
                    "is {appliance_id}.",
                    "could you check the service history for appliance {appliance_id}",
                ),
                {
                    "last_serviced": ("2025-02-14", "2025-06-30", "2024-10-09"),
                    "next_due": ("2026-02", "2026-06", "2025-10"),
                },
                "Boiler {appliance_id} was last serviced on {last_serviced}; the next service is "
                "due {next_due}.",
                "check when a boiler is due a service",
                missing=(
                    (
                        "When is my boiler next due a service?",
                        "What is the appliance id on your last service sheet?",
                    ),
                    (
                        "Is the warranty on my boiler still valid, and when's the next service?",
                        "What is the boiler's registered appliance id?",
                    ),
                ),
            ),
        ),
        cannot=(
            (
                "My boiler's leaking water everywhere, send someone now!",
                "arrange emergency call-outs",
            ),
            ("How much would a new combi boiler cost to fit?", "quote for boiler replacements"),
            ("Can you power-flush my radiators?", "power-flush heating systems"),
        ),
    ),
    # -- pest control ---------------------------------------------------------------------------
    Domain(
        "pest_control",
        "pest control treatments",
        (
            Action(
                "book_pest_treatment",
                "Book a technician to treat a pest problem at a property.",
                (
                    HOME,
                    Param(
                        "pest",
                        "string",
                        "The pest to treat.",
                        (
                            ("rats", "rats"),
                            ("mice", "mice"),
                            ("wasps", "wasps"),
                            ("wasps", "a wasp nest"),
                            ("bed bugs", "bed bugs"),
                            ("bed bugs", "bedbugs"),
                        ),
                        enum=("rats", "mice", "wasps", "bed bugs"),
                    ),
                    Param("visit_date", "string", "Visit date as YYYY-MM-DD.", date),
                    Param(
                        "pets_in_home",
                        "boolean",
                        "Pets live at the property, so pet-safe methods are needed.",
                        YES,
                        say=(
                            " We've got a dog, so it needs to be pet-safe.",
                            " There are cats in the house.",
                        ),
                    ),
                ),
                (
                    "Can someone treat {pest} at {address} on {visit_date}?",
                    "{pest} - {address} - {visit_date}",
                    "We've found {pest} in the kitchen and I'm desperate. Could you come to "
                    "{address} on {visit_date}?",
                    "I'd like to book a pest control visit for {pest} at {address} on "
                    "{visit_date}.",
                ),
                {
                    "technician": ("Mark Oduya", "Sian Roberts", "Lee Catterall"),
                    "visit_ref": ("PC-31044", "PC-47720", "PC-58163"),
                },
                "{technician} will treat the {pest} at {address} on {visit_date}: "
                "reference {visit_ref}.",
                "book pest treatments",
                missing=(
                    (
                        "There are rats under the decking at 7 Bramble Way, Colchester. Can you "
                        "send someone?",
                        "Which date would suit you for the visit?",
                    ),
                    (
                        "Please book a visit on 2026-06-19 at 14 Lark Rise, Didcot.",
                        "What pest needs treating?",
                    ),
                ),
            ),
            Action(
                "pest_followup_visits",
                "The follow-up visits left on a treatment plan, by treatment reference.",
                (
                    Param(
                        "visit_ref",
                        "string",
                        "Treatment reference, e.g. 'PC-47720'.",
                        code("PC-#####"),
                    ),
                ),
                (
                    "When's the next follow-up for {visit_ref}?",
                    "{visit_ref} follow ups",
                    "The mice are still about. How many more visits are left on {visit_ref}?",
                    "could you tell me when you're back for treatment {visit_ref}?",
                ),
                {
                    "next_visit": ("2026-03-12", "2026-04-02", "2026-05-21"),
                    "visits_left": (1, 2, 3),
                },
                "Treatment {visit_ref}: follow-up visits left: {visits_left}; the next is on "
                "{next_visit}.",
                "check follow-up visits",
                missing=(
                    (
                        "When is the pest man coming back for the follow-up?",
                        "What is your treatment reference?",
                    ),
                    (
                        "How many visits are left on my wasp treatment?",
                        "What is the treatment reference?",
                    ),
                ),
            ),
        ),
        cannot=(
            (
                "Can you block up the gaps where the mice are getting in?",
                "carry out proofing or building work",
            ),
            ("The wasps came back, so I want my money back.", "issue refunds"),
            ("Sell me a couple of rat traps for the shed.", "sell traps or bait"),
        ),
    ),
    # -- removals quotes ------------------------------------------------------------------------
    Domain(
        "removals_quotes",
        "house removal quotes",
        (
            Action(
                "request_removal_quote",
                "Ask for a quote to move a household between two postcodes.",
                (
                    Param(
                        "from_postcode",
                        "string",
                        "Postcode moving from.",
                        words("LS6 2QH", "BS3 4EA", "M20 6RT", "NR2 3DJ"),
                    ),
                    Param(
                        "to_postcode",
                        "string",
                        "Postcode moving to.",
                        words("YO24 1AB", "GL50 2PR", "EH9 1NF", "CF24 3DG"),
                    ),
                    Param("bedrooms", "integer", "Bedrooms in the home being moved.", count(2, 5)),
                    Param("move_date", "string", "Moving date as YYYY-MM-DD.", date),
                    Param(
                        "packing",
                        "boolean",
                        "Include the full packing service.",
                        YES,
                        say=(" We'd like you to do the packing.", " Packing service too, please."),
                    ),
                ),
                (
                    "Quote for a {bedrooms}-bed move from {from_postcode} to {to_postcode} on "
                    "{move_date}, please.",
                    "move {from_postcode} -> {to_postcode}, {bedrooms} bedrooms, {move_date}",
                    "We're finally moving! It's a {bedrooms} bedroom house, {from_postcode} to "
                    "{to_postcode}, on {move_date}. What would it cost?",
                    "How much to move {bedrooms} bedrooms from {from_postcode} to {to_postcode} "
                    "on {move_date}?",
                ),
                {
                    "quote_ref": ("RQ-10482", "RQ-22935", "RQ-37106"),
                    "price_gbp": (850, 1340, 2275),
                },
                "Moving {bedrooms} bedrooms from {from_postcode} to {to_postcode} on {move_date} "
                "would cost {price_gbp} GBP: quote {quote_ref}.",
                "quote for house moves",
                missing=(
                    (
                        "Could I get a quote to move a 3-bed from M20 6RT to EH9 1NF?",
                        "What date are you moving?",
                    ),
                    (
                        "How much to move from BS3 4EA to GL50 2PR on 2026-09-26?",
                        "How many bedrooms does the home you're moving from have?",
                    ),
                ),
            ),
            Action(
                "removal_crew_availability",
                "How many days in a month a removal crew and van size are free.",
                (
                    Param("move_month", "string", "Month to check, as YYYY-MM.", month),
                    Param(
                        "van",
                        "string",
                        "Van size.",
                        (
                            ("luton", "Luton"),
                            ("luton", "Luton van"),
                            ("7.5 tonne", "7.5 tonne"),
                            ("7.5 tonne", "7.5t lorry"),
                            ("18 tonne", "18 tonne"),
                            ("18 tonne", "big lorry"),
                        ),
                        enum=("luton", "7.5 tonne", "18 tonne"),
                    ),
                ),
                (
                    "Have you got a {van} free in {move_month}?",
                    "{van} availability {move_month}",
                    "We haven't fixed a date yet but it'll be {move_month}. How many days is "
                    "there a {van} crew available?",
                    "what days are free for a {van} in {move_month}?",
                ),
                {"free_days": (4, 9, 15), "first_free": ("the 3rd", "the 11th", "the 22nd")},
                "A {van} crew is free on {free_days} days in {move_month}, the first on "
                "{first_free}.",
                "check crew availability",
                missing=(
                    (
                        "Is there a Luton van free at all this spring?",
                        "Which month are you thinking of moving?",
                    ),
                    (
                        "How many days have you got free in 2026-08?",
                        "Which van size do you need?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can you disconnect the washing machine before the move?", "disconnect appliances"),
            ("Change the date on the move I've already booked.", "change booked moves"),
            ("Sell us some boxes and bubble wrap.", "sell packing materials"),
        ),
    ),
    # -- self storage ---------------------------------------------------------------------------
    Domain(
        "self_storage_units",
        "self-storage unit rentals",
        (
            Action(
                "rent_storage_unit",
                "Rent a self-storage unit at a site from a given month.",
                (
                    Param(
                        "site",
                        "string",
                        "Storage site name.",
                        words("Kirkstall Road", "Temple Meads", "Trafford Park", "Leith Docks"),
                    ),
                    Param(
                        "unit_size",
                        "string",
                        "Unit floor area.",
                        (
                            ("25 sq ft", "25 sq ft"),
                            ("25 sq ft", "25 square foot"),
                            ("50 sq ft", "50 sq ft"),
                            ("50 sq ft", "50 square foot"),
                            ("100 sq ft", "100 sq ft"),
                            ("100 sq ft", "100 square foot"),
                        ),
                        enum=("25 sq ft", "50 sq ft", "100 sq ft"),
                    ),
                    Param("start_month", "string", "First month of the rental, as YYYY-MM.", month),
                    Param(
                        "months",
                        "integer",
                        "Minimum rental term in months; 1 if omitted.",
                        count(2, 12),
                        say=(" For {v} months.", " We'll need it for {v} months."),
                    ),
                    Param(
                        "heated",
                        "boolean",
                        "A heated, climate-controlled unit.",
                        YES,
                        say=(" It has to be heated.", " Climate-controlled, please."),
                    ),
                ),
                (
                    "I'd like to rent a {unit_size} unit at {site} from {start_month}.",
                    "{unit_size} unit, {site}, starting {start_month}",
                    "We're between houses and need somewhere for the furniture. Can I take a "
                    "{unit_size} unit at {site} from {start_month}?",
                    "rent me a {unit_size} storage unit at {site} starting {start_month}",
                ),
                {"unit_no": ("U-114C", "U-207A", "U-342F"), "monthly_gbp": (39, 68, 119)},
                "Unit {unit_no} ({unit_size}) at {site} is yours from {start_month}, at "
                "{monthly_gbp} GBP a month.",
                "rent storage units",
                missing=(
                    (
                        "Can I rent a 50 sq ft unit at Trafford Park?",
                        "Which month would you like the rental to start?",
                    ),
                    (
                        "I need a storage unit at Leith Docks from 2026-05.",
                        "What size unit would you like?",
                    ),
                ),
            ),
            Action(
                "storage_late_access",
                "Whether a unit can be reached at a given time of day and which entrance to use.",
                (
                    Param("unit_no", "string", "Unit number, e.g. 'U-207A'.", code("U-###@")),
                    Param("arrival", "string", "Arrival time as HH:MM, 24-hour.", clock),
                ),
                (
                    "Can I get into unit {unit_no} at {arrival}?",
                    "{unit_no} access at {arrival}?",
                    "I finish work late - will I still be able to reach {unit_no} if I arrive "
                    "at {arrival}?",
                    "is unit {unit_no} accessible at {arrival} please",
                ),
                {
                    "access": (
                        "allowed",
                        "not allowed after 20:00",
                        "allowed with an out-of-hours PIN",
                    ),
                    "entrance": ("main gate", "side gate on Mill Lane", "loading bay door"),
                },
                "Access to unit {unit_no} at {arrival} is {access}; use the {entrance}.",
                "check access times",
                missing=(
                    ("Can I get into my unit at 21:30 tonight?", "What is your unit number?"),
                    (
                        "Will I be able to reach unit U-207A this evening?",
                        "What time will you arrive?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can you pick my stuff up from my flat?", "collect belongings"),
            ("I want to close my unit and get the deposit back.", "close units or refund deposits"),
            ("Insure what's in my unit, please.", "insure stored goods"),
        ),
    ),
    # -- furniture restoration ------------------------------------------------------------------
    Domain(
        "furniture_restoration",
        "furniture restoration jobs",
        (
            Action(
                "book_furniture_restoration",
                "Book a piece of furniture in for restoration and refinishing.",
                (
                    Param(
                        "piece",
                        "string",
                        "The piece of furniture, as the customer describes it.",
                        words(
                            "oak dining table",
                            "Victorian chaise longue",
                            "walnut chest of drawers",
                            "pine dresser",
                            "mahogany bureau",
                        ),
                    ),
                    FINISH,
                    Param(
                        "collect",
                        "boolean",
                        "Collect the piece from the customer's home.",
                        YES,
                        say=(" Could you collect it?", " I'll need it picking up from the house."),
                    ),
                ),
                (
                    "I'd like my {piece} restored and finished with {finish}.",
                    "restore {piece}, {finish} finish",
                    "My gran left me a {piece} that's seen better days. Could you restore it and "
                    "give it a {finish} finish?",
                    "Can you take in a {piece} for restoration? {finish}, please.",
                ),
                {"job_no": ("FR-2281", "FR-3907", "FR-4415"), "weeks": (3, 5, 8)},
                "The {piece} is booked in as job {job_no}, to be finished in {finish}; allow "
                "{weeks} weeks.",
                "book restoration jobs",
                missing=(
                    (
                        "Could you restore my pine dresser, please?",
                        "Which finish would you like: French polish, wax or oil?",
                    ),
                    (
                        "I'd like something restored and finished in Danish oil.",
                        "Which piece of furniture is it?",
                    ),
                ),
            ),
            Action(
                "restoration_estimate",
                "Estimate the cost of refinishing a surface area in a given finish.",
                (
                    Param(
                        "surface_m2",
                        "number",
                        "Surface area to refinish, in square metres.",
                        decimal(0.5, 4.5),
                    ),
                    FINISH,
                    Param(
                        "veneer_repair",
                        "boolean",
                        "Include repairs to lifted or missing veneer.",
                        YES,
                        say=(
                            " Some of the veneer is lifting too.",
                            " It also needs veneer repairs.",
                        ),
                    ),
                ),
                (
                    "How much to refinish {surface_m2} square metres with {finish}?",
                    "estimate: {surface_m2} m2, {finish}",
                    "Roughly what would it cost to refinish about {surface_m2} m2 of tabletop "
                    "in {finish}?",
                    "price for {surface_m2} sq m of {finish} please",
                ),
                {"estimate_gbp": (140, 260, 495), "workdays": (2, 4, 7)},
                "Refinishing {surface_m2} m2 in {finish} would be about {estimate_gbp} GBP over "
                "{workdays} working days.",
                "estimate refinishing costs",
                missing=(
                    (
                        "How much would it be to French polish a sideboard top?",
                        "Roughly how many square metres need refinishing?",
                    ),
                    (
                        "What would 1.8 square metres cost to refinish?",
                        "Which finish would you like?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("What's my walnut chest of drawers worth?", "value antiques"),
            ("Would you buy my old sideboard off me?", "buy furniture"),
            ("Make me a bedside table to match my dresser.", "make new furniture"),
        ),
    ),
    # -- upholstery quotes ----------------------------------------------------------------------
    Domain(
        "upholstery_quotes",
        "reupholstery quotes",
        (
            Action(
                "request_upholstery_quote",
                "Ask for a quote to reupholster one or more items of the same kind.",
                (
                    Param(
                        "furniture",
                        "string",
                        "Kind of item to reupholster.",
                        (
                            ("armchair", "armchair"),
                            ("armchair", "wingback chair"),
                            ("dining chair", "dining chair"),
                            ("two-seater sofa", "two-seater sofa"),
                            ("two-seater sofa", "2-seat sofa"),
                            ("footstool", "footstool"),
                        ),
                        enum=("armchair", "dining chair", "two-seater sofa", "footstool"),
                    ),
                    Param("pieces", "integer", "How many items of that kind.", count(2, 8)),
                    Param(
                        "fabric_metres",
                        "number",
                        "Metres of the customer's own fabric, if they supply it.",
                        decimal(2.0, 16.0),
                        say=(
                            " I've got {v} m of my own fabric.",
                            " I'll supply the fabric - {v} metres.",
                        ),
                    ),
                ),
                (
                    "Could I get a quote to reupholster {pieces} x {furniture}?",
                    "quote: {furniture}, qty {pieces}",
                    "The covers on our {furniture}s are threadbare. There are {pieces} of them - "
                    "what would it cost to redo them all?",
                    "How much to recover {pieces} {furniture}s?",
                ),
                {"quote_no": ("UQ-5520", "UQ-6148", "UQ-7093"), "price_gbp": (180, 640, 1450)},
                "Reupholstering {pieces} x {furniture} would be {price_gbp} GBP: quote {quote_no}.",
                "quote for reupholstery",
                missing=(
                    (
                        "What would you charge to reupholster some dining chairs?",
                        "How many chairs are there?",
                    ),
                    (
                        "Can you quote for redoing 2 items? I've got my own fabric.",
                        "What kind of furniture is it?",
                    ),
                ),
            ),
            Action(
                "upholstery_fabric_stock",
                "Whether the workshop has enough of a fabric in stock, and its price per metre.",
                (
                    Param(
                        "fabric",
                        "string",
                        "Fabric name as in the swatch book.",
                        words(
                            "Linwood velvet",
                            "Harris Tweed",
                            "Sanderson linen",
                            "Romo chenille",
                            "Abraham Moon wool",
                        ),
                    ),
                    Param("metres", "number", "Metres needed.", decimal(1.5, 14.0)),
                ),
                (
                    "Have you got {metres} m of {fabric}?",
                    "{fabric} x {metres}m in stock?",
                    "I fell in love with the {fabric} swatch. Is there {metres} metres of it "
                    "available?",
                    "do you have {metres} metres of {fabric} please",
                ),
                {
                    "in_stock": ("yes", "no, due in two weeks", "only part of it, 4.5 m left"),
                    "price_per_m": (32.5, 48.0, 61.0),
                },
                "{fabric} for {metres} m: {in_stock}; it's {price_per_m} GBP per metre.",
                "check fabric stock",
                missing=(
                    (
                        "Is there enough Harris Tweed for an armchair?",
                        "How many metres do you need?",
                    ),
                    ("Have you got 6 metres of the velvet?", "Which fabric do you mean?"),
                ),
            ),
        ),
        cannot=(
            ("Can you get the coffee stain out of my sofa?", "clean upholstery"),
            ("Cancel the quote I asked for yesterday.", "cancel quotes"),
            ("Sell me a new three-piece suite.", "sell furniture"),
        ),
    ),
    # -- shoe repairs ---------------------------------------------------------------------------
    Domain(
        "shoe_repairs",
        "shoe repair tickets",
        (
            Action(
                "drop_off_shoe_repair",
                "Book pairs of shoes in for a repair and get a ticket.",
                (
                    Param(
                        "repair",
                        "string",
                        "Repair needed.",
                        (
                            ("resole", "resole"),
                            ("resole", "new soles"),
                            ("reheel", "reheel"),
                            ("reheel", "new heels"),
                            ("stretch", "stretch"),
                            ("stitching", "stitching"),
                            ("stitching", "restitch"),
                        ),
                        enum=("resole", "reheel", "stretch", "stitching"),
                    ),
                    Param("pairs", "integer", "Number of pairs.", count(2, 4)),
                    Param(
                        "express",
                        "boolean",
                        "Same-day express service.",
                        YES,
                        say=(" I need them back today.", " Express, please."),
                    ),
                ),
                (
                    "{pairs} pairs, {repair}.",
                    "Can I leave {pairs} pairs of shoes for {repair}?",
                    "My work boots are falling apart. I'd like {repair} on {pairs} pairs, please.",
                    "booking in {pairs} pairs for {repair}",
                ),
                {
                    "ticket": ("SR-104", "SR-377", "SR-852"),
                    "ready_date": ("2026-03-06", "2026-04-17", "2026-05-29"),
                },
                "{pairs} pairs for {repair} are on ticket {ticket}, ready {ready_date}.",
                "take in shoe repairs",
                missing=(
                    ("I need some shoes resoled, please.", "How many pairs are there?"),
                    ("Can I drop off two pairs of boots?", "What repair do they need?"),
                ),
            ),
            Action(
                "shoe_repair_ready",
                "Whether the shoes on a repair ticket are ready to collect.",
                (
                    Param(
                        "ticket", "string", "Repair ticket number, e.g. 'SR-377'.", code("SR-###")
                    ),
                    Param(
                        "text_when_ready",
                        "boolean",
                        "Send a text message when they are ready.",
                        YES,
                        say=(" Text me when they're done.", " Send me a text when they're ready."),
                    ),
                ),
                (
                    "Are my shoes on ticket {ticket} ready?",
                    "{ticket} ready?",
                    "I dropped some boots off last week, the ticket says {ticket}. Can I pick "
                    "them up yet?",
                    "is {ticket} done yet",
                ),
                {
                    "status": ("ready to collect", "being stitched", "waiting for soles"),
                    "balance_gbp": (0, 18.5, 34.0),
                },
                "Ticket {ticket} is {status}; {balance_gbp} GBP left to pay.",
                "check repair tickets",
                missing=(
                    ("Are my shoes ready yet?", "What is your ticket number?"),
                    ("Can you text me when my heels are done?", "What is your ticket number?"),
                ),
            ),
        ),
        cannot=(
            ("Can you dye my suede boots black?", "dye shoes"),
            (
                "I can't find my ticket - can you look my shoes up by name?",
                "look up repairs by name",
            ),
            ("Sell me a tin of brown polish.", "sell shoe-care products"),
        ),
    ),
    # -- watch servicing ------------------------------------------------------------------------
    Domain(
        "watch_servicing",
        "watch services",
        (
            Action(
                "book_watch_service",
                "Book a wristwatch in for a full service.",
                (
                    Param(
                        "watch",
                        "string",
                        "Watch make and model.",
                        words(
                            "Omega Seamaster",
                            "Rolex Datejust",
                            "Seiko SKX007",
                            "Tudor Black Bay",
                            "Longines Conquest",
                        ),
                    ),
                    Param(
                        "movement",
                        "string",
                        "Movement type.",
                        (
                            ("automatic", "automatic"),
                            ("automatic", "self-winding"),
                            ("manual", "manual"),
                            ("manual", "hand-wound"),
                            ("quartz", "quartz"),
                            ("quartz", "battery-powered"),
                        ),
                        enum=("automatic", "manual", "quartz"),
                    ),
                    Param(
                        "water_test",
                        "boolean",
                        "Pressure-test water resistance after the service.",
                        YES,
                        say=(" Please pressure test it too.", " I swim in it, so test the seals."),
                    ),
                    Param(
                        "drop_off_time",
                        "string",
                        "Drop-off time as HH:MM, 24-hour.",
                        clock,
                        say=(" I'll bring it in at {v}.", " Dropping it off around {v}."),
                    ),
                ),
                (
                    "I'd like to book my {watch} in for a service. It's {movement}.",
                    "service {watch} ({movement})",
                    "My {watch} has started losing time. Could you service it? It's a {movement} "
                    "one.",
                    "Can you service a {movement} {watch}?",
                ),
                {
                    "service_ref": ("WS-A2041", "WS-B3386", "WS-C5172"),
                    "estimate_gbp": (195, 380, 620),
                },
                "The {watch} is booked in as {service_ref}; the service estimate is "
                "{estimate_gbp} GBP.",
                "book watch services",
                missing=(
                    (
                        "Can you service an automatic watch for me?",
                        "What make and model is the watch?",
                    ),
                    (
                        "I'd like my Tudor Black Bay serviced, please.",
                        "Is it an automatic, manual or quartz movement?",
                    ),
                ),
            ),
            Action(
                "watch_service_progress",
                "How far a watch service has got, by service reference and owner's surname.",
                (
                    Param(
                        "service_ref",
                        "string",
                        "Service reference, e.g. 'WS-B3386'.",
                        code("WS-@####"),
                    ),
                    Param(
                        "surname",
                        "string",
                        "Owner's surname as on the booking.",
                        words("Hargreaves", "Okafor", "Lindqvist", "Mistry", "O'Donnell"),
                    ),
                ),
                (
                    "How's my watch getting on? Ref {service_ref}, surname {surname}.",
                    "{service_ref} / {surname} progress",
                    "It's been a month since I left it with you. Any news on {service_ref}? "
                    "The name's {surname}.",
                    "could you check service {service_ref} for {surname}",
                ),
                {
                    "stage": ("awaiting parts from Switzerland", "in regulation", "ready"),
                    "expected": ("2026-02-20", "2026-03-13", "2026-04-03"),
                },
                "Service {service_ref} for {surname} is {stage}; expected back {expected}.",
                "check service progress",
                missing=(
                    (
                        "Is my watch ready yet? Surname Mistry.",
                        "What is the service reference?",
                    ),
                    (
                        "Any update on service WS-C5172?",
                        "What surname is the booking under?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can you tell me if this Rolex is genuine?", "authenticate watches"),
            ("Fit a new leather strap while you have it.", "fit straps"),
            ("Would you buy my old Seiko?", "buy watches"),
        ),
    ),
    # -- jewellery engraving --------------------------------------------------------------------
    Domain(
        "jewellery_engraving",
        "jewellery engraving orders",
        (
            Action(
                "order_engraving",
                "Order engraved lettering on a piece of jewellery.",
                (
                    JEWEL,
                    Param(
                        "text",
                        "string",
                        "The exact text to engrave.",
                        words(
                            "Always & Forever",
                            "J & M 2026",
                            "Est. 1996",
                            "Love you, Mum",
                            "A.R.H.",
                        ),
                    ),
                    Param(
                        "lettering",
                        "string",
                        "Lettering style; script if omitted.",
                        (
                            ("script", "script"),
                            ("script", "cursive"),
                            ("block", "block"),
                            ("roman", "Roman"),
                        ),
                        enum=("script", "block", "roman"),
                        say=(" In {v} lettering.", " Use {v} lettering, please."),
                    ),
                    Param(
                        "gift_box",
                        "boolean",
                        "Return it in a gift box.",
                        YES,
                        say=(" It's a present, so a gift box please.", " Gift-boxed, please."),
                    ),
                ),
                (
                    'Please engrave "{text}" on my {item}.',
                    "engrave {item}: {text}",
                    "It's our anniversary next month - could you put '{text}' on my {item} for me?",
                    "I'd like '{text}' engraved on the {item}, please.",
                ),
                {
                    "order_ref": ("JE-1408", "JE-2719", "JE-3360"),
                    "ready_date": ("2026-02-13", "2026-05-08", "2026-09-18"),
                },
                'The {item} engraving "{text}" is order {order_ref}, ready {ready_date}.',
                "order engravings",
                missing=(
                    (
                        "I'd like my wedding band engraved, please.",
                        "What text would you like engraved?",
                    ),
                    (
                        "Can you engrave 'Est. 1996' for me?",
                        "What piece of jewellery is it going on?",
                    ),
                ),
            ),
            Action(
                "engraving_price_check",
                "Price and turnaround for engraving a number of characters on an item.",
                (
                    JEWEL,
                    Param(
                        "characters",
                        "integer",
                        "Number of characters to engrave, spaces included.",
                        count(3, 40, words=False),
                    ),
                    Param(
                        "inside",
                        "boolean",
                        "Engrave on the inside surface (of a band or locket).",
                        YES,
                        say=(" It would go on the inside.", " Inside engraving, please."),
                    ),
                ),
                (
                    "How much to engrave {characters} characters on the {item}?",
                    "{item}, {characters} chars - price?",
                    "I'm thinking of a short message, about {characters} letters, on the {item}. "
                    "What would that cost?",
                    "price for {characters} characters on {item} please",
                ),
                {"price_gbp": (15, 28, 45), "turnaround_days": (2, 5, 10)},
                "Engraving {characters} characters on the {item} costs {price_gbp} GBP, ready in "
                "{turnaround_days} days.",
                "price engravings",
                missing=(
                    (
                        "What do you charge to engrave a bracelet?",
                        "How many characters would you like engraved?",
                    ),
                    (
                        "How much for 12 characters of engraving?",
                        "What item is it going on?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Could you resize my ring by half a size?", "resize rings"),
            ("Value my grandmother's necklace for insurance.", "value jewellery"),
            ("The clasp on my bracelet has snapped - can you fix it?", "repair jewellery"),
        ),
    ),
    # -- picture framing ------------------------------------------------------------------------
    Domain(
        "picture_framing",
        "picture framing orders",
        (
            Action(
                "order_picture_frame",
                "Order a made-to-measure frame for artwork of a given size.",
                (
                    Param("width_cm", "number", "Artwork width in centimetres.", decimal(15, 120)),
                    Param(
                        "height_cm", "number", "Artwork height in centimetres.", decimal(15, 120)
                    ),
                    Param(
                        "moulding",
                        "string",
                        "Frame moulding.",
                        (
                            ("oak", "oak"),
                            ("oak", "light oak"),
                            ("black", "black"),
                            ("black", "matt black"),
                            ("white", "white"),
                            ("gilt", "gilt"),
                            ("gilt", "gold"),
                        ),
                        enum=("oak", "black", "white", "gilt"),
                    ),
                    Param(
                        "mount",
                        "boolean",
                        "Add a card mount around the artwork.",
                        YES,
                        say=(" With a mount, please.", " Add a white mount."),
                    ),
                    Param(
                        "anti_glare",
                        "boolean",
                        "Use anti-reflective glass.",
                        YES,
                        say=(" Non-reflective glass, please.", " It hangs opposite a window."),
                    ),
                ),
                (
                    "I'd like a {moulding} frame for a print {width_cm} by {height_cm} cm.",
                    "frame {width_cm}x{height_cm}cm, {moulding}",
                    "My daughter painted a watercolour that's {width_cm} cm wide and "
                    "{height_cm} cm tall. Could you frame it in {moulding}?",
                    "Can you make a {moulding} frame, {width_cm} cm x {height_cm} cm?",
                ),
                {"order_no": ("PF-3012", "PF-4487", "PF-5930"), "price_gbp": (45, 89, 164)},
                "A {moulding} frame for {width_cm} x {height_cm} cm is order {order_no}, "
                "{price_gbp} GBP.",
                "order frames",
                missing=(
                    (
                        "Could you frame a 40 by 50 cm poster for me?",
                        "Which moulding would you like: oak, black, white or gilt?",
                    ),
                    (
                        "I need a gilt frame for a painting 60 cm wide.",
                        "How tall is the painting, in centimetres?",
                    ),
                ),
            ),
            Action(
                "frame_collection_check",
                "Whether a framing order can be collected on a date, and the shop's closing time.",
                (
                    Param(
                        "order_no",
                        "string",
                        "Framing order number, e.g. 'PF-4487'.",
                        code("PF-####"),
                    ),
                    Param("collect_date", "string", "Collection date as YYYY-MM-DD.", date),
                ),
                (
                    "Can I collect order {order_no} on {collect_date}?",
                    "{order_no} ready for {collect_date}?",
                    "I'd love to hang the picture this weekend. Will {order_no} be ready to pick "
                    "up on {collect_date}?",
                    "picking up {order_no} {collect_date}, is that ok",
                ),
                {
                    "ready": ("ready", "ready from the afternoon", "delayed, waiting on glass"),
                    "closes": ("17:30", "16:00", "13:00"),
                },
                "On {collect_date} order {order_no} will be {ready}; the shop closes at {closes}.",
                "check collection dates",
                missing=(
                    ("Can I pick up my frame tomorrow?", "What is your order number?"),
                    ("Will order PF-3012 be ready to collect?", "Which date would you collect it?"),
                ),
            ),
        ),
        cannot=(
            ("Could someone come and hang the pictures for me?", "hang pictures"),
            ("Can you restore a faded old family photo?", "restore photographs"),
            ("Print my holiday photo on canvas.", "print photos"),
        ),
    ),
    # -- charity collections --------------------------------------------------------------------
    Domain(
        "charity_collections",
        "charity donation collections",
        (
            Action(
                "book_charity_collection",
                "Book a charity van to collect donated goods from a home.",
                (
                    Param(
                        "postcode",
                        "string",
                        "Collection postcode.",
                        words("LS8 1PQ", "BS7 9RT", "SW16 2HL", "G12 8QQ", "NE2 4AX"),
                    ),
                    Param("collection_date", "string", "Collection date as YYYY-MM-DD.", date),
                    Param("bags", "integer", "Number of bags of clothes and goods.", count(2, 12)),
                    Param(
                        "furniture",
                        "boolean",
                        "There is also furniture to collect.",
                        YES,
                        say=(" There's a sofa to go as well.", " We've got a wardrobe too."),
                    ),
                    Param(
                        "out_from",
                        "string",
                        "Time the items will be left out from, as HH:MM.",
                        clock,
                        say=(" Everything will be outside from {v}.", " Out from {v}."),
                    ),
                ),
                (
                    "Can you collect {bags} bags of donations from {postcode} on "
                    "{collection_date}?",
                    "collection {postcode} {collection_date}, {bags} bags",
                    "We've had a big clear-out - {bags} bags of clothes and books. Could the van "
                    "come to {postcode} on {collection_date}?",
                    "I'd like to book a charity pick-up at {postcode}, {collection_date}, "
                    "{bags} bags.",
                ),
                {
                    "collection_ref": ("CC-70215", "CC-81430", "CC-92768"),
                    "van_window": ("08:00-12:00", "12:00-16:00", "14:00-18:00"),
                },
                "The van will collect {bags} bags at {postcode} on {collection_date}, "
                "{van_window}: reference {collection_ref}.",
                "book donation collections",
                missing=(
                    (
                        "Can you pick up 5 bags of clothes on 2026-07-11?",
                        "What is the postcode for the collection?",
                    ),
                    (
                        "Please collect some donations from NE2 4AX this Saturday.",
                        "How many bags are there?",
                    ),
                ),
            ),
            Action(
                "gift_aid_summary",
                "Total donated and Gift Aid claimed for a registered donor.",
                (
                    Param(
                        "donor_id",
                        "string",
                        "Gift Aid donor id, e.g. 'GA-7730214'.",
                        code("GA-#######"),
                    ),
                    Param(
                        "since_month",
                        "string",
                        "Count donations from this month, as YYYY-MM; the tax year if omitted.",
                        month,
                        say=(" Since {v}.", " From {v} onwards."),
                    ),
                ),
                (
                    "How much Gift Aid has been claimed on {donor_id}?",
                    "gift aid total {donor_id}",
                    "I'm doing my tax return and want to know what I've given. My donor id "
                    "is {donor_id}.",
                    "Could you tell me my donations total? Donor {donor_id}.",
                ),
                {"donated_gbp": (42.0, 118.5, 356.0), "gift_aid_gbp": (10.5, 29.63, 89.0)},
                "Donor {donor_id} has given {donated_gbp} GBP, with {gift_aid_gbp} GBP of Gift "
                "Aid claimed.",
                "total donations and Gift Aid",
                missing=(
                    (
                        "How much Gift Aid have you claimed on my donations?",
                        "What is your Gift Aid donor id?",
                    ),
                    (
                        "What have I donated since 2025-04? I need it for my tax return.",
                        "What is your donor id?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Where's the nearest charity shop to me?", "find charity shops"),
            ("Set up a monthly direct debit for me.", "set up regular donations"),
            ("Will you take my old mattress away too?", "collect mattresses"),
        ),
    ),
    # -- newspaper deliveries -------------------------------------------------------------------
    Domain(
        "newspaper_deliveries",
        "newspaper delivery rounds",
        (
            Action(
                "start_paper_delivery",
                "Start a daily newspaper delivery to an address.",
                (
                    Param(
                        "newspaper",
                        "string",
                        "Newspaper title.",
                        words(
                            "The Guardian",
                            "The Times",
                            "Financial Times",
                            "Yorkshire Post",
                            "The Scotsman",
                        ),
                    ),
                    HOME,
                    Param("start_date", "string", "First delivery date as YYYY-MM-DD.", date),
                    Param(
                        "weekdays_only",
                        "boolean",
                        "Deliver Monday to Friday only.",
                        YES,
                        say=(" Weekdays only.", " Not at weekends, please."),
                    ),
                ),
                (
                    "Please deliver {newspaper} to {address} from {start_date}.",
                    "{newspaper}, {address}, starting {start_date}",
                    "We've just moved in and I'd love a paper with breakfast again. Could you "
                    "start {newspaper} at {address} on {start_date}?",
                    "can you put me down for {newspaper} from {start_date}? it's {address}",
                ),
                {"round_no": ("R4", "R7", "R12"), "weekly_gbp": (9.8, 14.2, 21.6)},
                "{newspaper} will be delivered to {address} from {start_date} on round "
                "{round_no}, {weekly_gbp} GBP a week.",
                "start paper deliveries",
                missing=(
                    (
                        "Could you deliver The Times to Ivy Cottage, Hathersage?",
                        "Which date should deliveries start?",
                    ),
                    (
                        "Please start a paper at 14 Lark Rise, Didcot from 2026-04-06.",
                        "Which newspaper would you like?",
                    ),
                ),
            ),
            Action(
                "paper_arrival_time",
                "Usual arrival time of a customer's paper on a given day type.",
                (
                    Param(
                        "account_no",
                        "string",
                        "Newsagent account number, e.g. 'ND-5082'.",
                        code("ND-####"),
                    ),
                    Param(
                        "day",
                        "string",
                        "Kind of day; weekdays if omitted.",
                        (
                            ("weekday", "weekday"),
                            ("weekday", "weekday morning"),
                            ("saturday", "Saturday"),
                            ("sunday", "Sunday"),
                        ),
                        enum=("weekday", "saturday", "sunday"),
                        say=(" I mean on a {v}.", " What about {v}?"),
                    ),
                ),
                (
                    "What time does the paper usually arrive for {account_no}?",
                    "{account_no} delivery time",
                    "I leave for work at seven and the paper's never there. When is it meant "
                    "to come for account {account_no}?",
                    "when does my paper get here? account {account_no}",
                ),
                {
                    "usual_time": ("06:40", "07:15", "07:45"),
                    "carrier": ("Liam", "Ayesha", "Jonah"),
                },
                "For {account_no}, {carrier} usually delivers by {usual_time}.",
                "check delivery times",
                missing=(
                    (
                        "What time does my newspaper usually turn up?",
                        "What is your newsagent account number?",
                    ),
                    (
                        "When does the Sunday paper get delivered to us?",
                        "What is your account number with the newsagent?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("We're away next week, can you stop the papers?", "pause deliveries"),
            ("The paper came soaking wet, can I get a refund?", "issue refunds"),
            ("Pay my paper bill for this month.", "take payments"),
        ),
    ),
]
