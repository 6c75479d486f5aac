"""Custom-function domains for the tool-calling eval (data, written for evaluation only).

Each domain offers two or three functions of one service. Per domain: cases that
need one call or several (``calls``), and cases where no call is right: the domain's
tools cannot do what is asked (``near``), a required value is missing (``missing``),
or the question has nothing to do with the tools (``unrelated``).

These functions, phrasings and values are disjoint from the distill templates and
function catalogue (tests/eval/test_overlap.py checks it); do not reuse them for training.
"""

from __future__ import annotations

from typing import Any


def S(desc: str, **kw: Any) -> dict[str, Any]:
    return {"type": "string", "description": desc, **kw}


def I(desc: str, **kw: Any) -> dict[str, Any]:  # noqa: E743
    return {"type": "integer", "description": desc, **kw}


def N(desc: str, **kw: Any) -> dict[str, Any]:
    return {"type": "number", "description": desc, **kw}


def B(desc: str, **kw: Any) -> dict[str, Any]:
    return {"type": "boolean", "description": desc, **kw}


def E(desc: str, values: list[str], **kw: Any) -> dict[str, Any]:
    return {"type": "string", "enum": values, "description": desc, **kw}


def A(desc: str, items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items, "description": desc}


def fn(name: str, desc: str, props: dict[str, dict[str, Any]], required: list[str]) -> dict:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": desc,
            "parameters": {"type": "object", "properties": props, "required": required},
        },
    }


DOMAINS: list[dict[str, Any]] = []


def D(
    name: str, tools: list[dict], calls: list, near: list, missing: list, unrelated: list
) -> None:
    DOMAINS.append(
        {
            "name": name,
            "tools": tools,
            "calls": calls,
            "near": near,
            "missing": missing,
            "unrelated": unrelated,
        }
    )


# --------------------------------------------------------------------------- tides
D(
    "tides",
    [
        fn(
            "lookup_tide_table",
            "High and low water times for a coastal tide station on one day.",
            {
                "station": S("Tide station name, e.g. 'Port Isaac'."),
                "day": S("Date as YYYY-MM-DD."),
                "datum": E("Height reference.", ["chart", "mean_sea_level"], default="chart"),
            },
            ["station", "day"],
        ),
        fn(
            "list_tide_stations",
            "Tide stations within a radius of a coastal town.",
            {
                "town": S("Town name."),
                "radius_km": N("Search radius in kilometres.", default=25),
            },
            ["town"],
        ),
    ],
    calls=[
        (
            "When is low water at Padstow harbour station on 2027-03-14?",
            [
                (
                    "lookup_tide_table",
                    {"station": ["Padstow", "Padstow harbour"], "day": ["2027-03-14"]},
                )
            ],
        ),
        (
            "Give me the tide table for the Whitby station on 2026-12-02, heights against mean sea level please.",
            [
                (
                    "lookup_tide_table",
                    {"station": ["Whitby"], "day": ["2026-12-02"], "datum": ["mean_sea_level"]},
                )
            ],
        ),
        (
            "Which tide stations are there within 10 km of Kinsale?",
            [("list_tide_stations", {"town": ["Kinsale"], "radius_km": [10]})],
        ),
        (
            "List tide stations near Brixham.",
            [("list_tide_stations", {"town": ["Brixham"]})],
        ),
        (
            "I'm sailing on 2027-06-21. Fetch the tide tables for both St Ives and Newlyn stations for that day.",
            [
                ("lookup_tide_table", {"station": ["St Ives"], "day": ["2027-06-21"]}),
                ("lookup_tide_table", {"station": ["Newlyn"], "day": ["2027-06-21"]}),
            ],
        ),
        (
            "high tide times at station Tobermory, 1 August 2027?",
            [("lookup_tide_table", {"station": ["Tobermory"], "day": ["2027-08-01"]})],
        ),
    ],
    near=[
        "What will the sea water temperature be at Padstow tomorrow?",
        "Book me a mooring in Whitby harbour for Saturday night.",
    ],
    missing=["Look up the tide table for Whitby station, please."],
    unrelated=["Why are there two high tides a day instead of one?"],
)

# --------------------------------------------------------------------------- library
D(
    "library",
    [
        fn(
            "place_book_hold",
            "Reserve a library book by ISBN for collection at a branch.",
            {
                "isbn": S("The book's ISBN-13."),
                "branch": S("Branch where the reader will collect it."),
                "notify_by_sms": B("Text the reader when it is ready.", default=False),
            },
            ["isbn", "branch"],
        ),
        fn(
            "search_library_catalog",
            "Search the library catalogue by title or author words.",
            {
                "query": S("Words from the title or the author's name."),
                "format": E("Item format.", ["book", "ebook", "audiobook", "dvd"]),
            },
            ["query"],
        ),
        fn(
            "renew_loan",
            "Renew a borrowed item by its barcode.",
            {"barcode": S("Item barcode printed on the sticker.")},
            ["barcode"],
        ),
    ],
    calls=[
        (
            "Put a hold on ISBN 9780141439518 for pickup at the Riverside branch.",
            [("place_book_hold", {"isbn": ["9780141439518"], "branch": ["Riverside"]})],
        ),
        (
            "Reserve 9780099518471 at Eastgate library and text me when it's in.",
            [
                (
                    "place_book_hold",
                    {
                        "isbn": ["9780099518471"],
                        "branch": ["Eastgate", "Eastgate library"],
                        "notify_by_sms": [True],
                    },
                )
            ],
        ),
        (
            "Does the library have any audiobooks by Ursula Le Guin?",
            [
                (
                    "search_library_catalog",
                    {"query": ["Ursula Le Guin", "Le Guin"], "format": ["audiobook"]},
                )
            ],
        ),
        (
            "Search the catalogue for 'The Remains of the Day'.",
            [
                (
                    "search_library_catalog",
                    {"query": ["The Remains of the Day", "Remains of the Day"], "format": [""]},
                )
            ],
        ),
        (
            "Renew the item with barcode 31907004412 please.",
            [("renew_loan", {"barcode": ["31907004412"]})],
        ),
        (
            "Renew both of my loans: barcodes 5521-0091 and 5521-0457.",
            [
                ("renew_loan", {"barcode": ["5521-0091"]}),
                ("renew_loan", {"barcode": ["5521-0457"]}),
            ],
        ),
    ],
    near=[
        "How much do I owe in overdue fines on my library card?",
        "What time does the Riverside branch close on Sundays?",
    ],
    missing=["Can you renew my library loan?"],
    unrelated=["Who wrote the novel Middlemarch?"],
)

# --------------------------------------------------------------------------- ferries
D(
    "ferries",
    [
        fn(
            "ferry_departures",
            "Scheduled ferry sailings on a route for a given date.",
            {
                "route": S("Route as 'Origin-Destination', e.g. 'Oban-Craignure'."),
                "date": S("Travel date, YYYY-MM-DD."),
            },
            ["route", "date"],
        ),
        fn(
            "ferry_sailing_status",
            "Live status (on time, delayed, cancelled) of one sailing by its sailing code.",
            {"sailing_code": S("Code printed on the ticket, e.g. 'CAL-0815'.")},
            ["sailing_code"],
        ),
    ],
    calls=[
        (
            "What ferries run Oban-Craignure on 2027-05-09?",
            [("ferry_departures", {"route": ["Oban-Craignure"], "date": ["2027-05-09"]})],
        ),
        (
            "Is sailing CAL-0815 on time?",
            [("ferry_sailing_status", {"sailing_code": ["CAL-0815"]})],
        ),
        (
            "Show me the Ardrossan-Brodick timetable for 2026-12-20.",
            [("ferry_departures", {"route": ["Ardrossan-Brodick"], "date": ["2026-12-20"]})],
        ),
        (
            "Check whether sailings NLF-1130 and NLF-1745 are running today.",
            [
                ("ferry_sailing_status", {"sailing_code": ["NLF-1130"]}),
                ("ferry_sailing_status", {"sailing_code": ["NLF-1745"]}),
            ],
        ),
        (
            "my ticket says WSF-2210, has that boat been cancelled?",
            [("ferry_sailing_status", {"sailing_code": ["WSF-2210"]})],
        ),
        (
            "List the sailings from Uig to Tarbert on the 3rd of April 2027 (route Uig-Tarbert).",
            [("ferry_departures", {"route": ["Uig-Tarbert"], "date": ["2027-04-03"]})],
        ),
    ],
    near=[
        "Buy me two return tickets on the Oban-Craignure ferry for Friday.",
        "Can I take my dog on the ferry to Brodick?",
    ],
    missing=["Which ferries sail on the Oban-Craignure route?"],
    unrelated=["Roughly how long does it take to cross the English Channel by ferry?"],
)

# --------------------------------------------------------------------------- bike share
D(
    "bikeshare",
    [
        fn(
            "dock_availability",
            "Bikes and free docks at a bike-share station right now.",
            {
                "station_id": I("Numeric station id."),
                "include_ebikes": B("Count electric bikes separately.", default=False),
            },
            ["station_id"],
        ),
        fn(
            "nearest_docks",
            "The bike-share stations closest to a street address.",
            {
                "address": S("Street address."),
                "limit": I("How many stations to return.", default=3),
            },
            ["address"],
        ),
    ],
    calls=[
        (
            "How many bikes are at station 4411?",
            [("dock_availability", {"station_id": [4411]})],
        ),
        (
            "Are there e-bikes at dock station 208? Count them separately.",
            [("dock_availability", {"station_id": [208], "include_ebikes": [True]})],
        ),
        (
            "Find the 5 nearest bike docks to 12 Hanover Street.",
            [("nearest_docks", {"address": ["12 Hanover Street"], "limit": [5]})],
        ),
        (
            "Which bike stations are closest to 90 Canal Road?",
            [("nearest_docks", {"address": ["90 Canal Road"]})],
        ),
        (
            "Compare bike availability at stations 17 and 35.",
            [
                ("dock_availability", {"station_id": [17]}),
                ("dock_availability", {"station_id": [35]}),
            ],
        ),
        (
            "station 3090 - any free docks to return my bike?",
            [("dock_availability", {"station_id": [3090]})],
        ),
    ],
    near=[
        "Unlock bike number 5521 for me.",
        "How much does an annual bike-share membership cost?",
    ],
    missing=["How many bikes are left at the station?"],
    unrelated=["Is it faster to cycle or take the bus for a 4 km commute?"],
)

# --------------------------------------------------------------------------- vet
D(
    "vet",
    [
        fn(
            "book_vet_visit",
            "Book an appointment at the veterinary clinic.",
            {
                "pet_name": S("The pet's name."),
                "species": E("Kind of animal.", ["dog", "cat", "rabbit", "bird", "other"]),
                "date": S("Preferred date, YYYY-MM-DD."),
                "reason": S("Short reason for the visit."),
            },
            ["pet_name", "species", "date"],
        ),
        fn(
            "vaccination_record",
            "Vaccinations on file for a registered pet.",
            {"pet_id": S("Clinic pet id, e.g. 'P-20931'.")},
            ["pet_id"],
        ),
    ],
    calls=[
        (
            "Book my cat Miso in at the vet on 2027-01-18.",
            [
                (
                    "book_vet_visit",
                    {
                        "pet_name": ["Miso"],
                        "species": ["cat"],
                        "date": ["2027-01-18"],
                        "reason": [""],
                    },
                )
            ],
        ),
        (
            "Schedule a vet visit for Biscuit, my rabbit, on 2026-12-07 for a nail trim.",
            [
                (
                    "book_vet_visit",
                    {
                        "pet_name": ["Biscuit"],
                        "species": ["rabbit"],
                        "date": ["2026-12-07"],
                        "reason": ["nail trim", "a nail trim", "nail trimming"],
                    },
                )
            ],
        ),
        (
            "Which vaccines does pet P-20931 have on record?",
            [("vaccination_record", {"pet_id": ["P-20931"]})],
        ),
        (
            "Pull up the vaccination history for P-77310.",
            [("vaccination_record", {"pet_id": ["P-77310"]})],
        ),
        (
            "Get the vaccination records of my two dogs, ids P-1002 and P-1003.",
            [
                ("vaccination_record", {"pet_id": ["P-1002"]}),
                ("vaccination_record", {"pet_id": ["P-1003"]}),
            ],
        ),
        (
            "Our dog Pepper needs a check-up on 2027-02-26, can you book it?",
            [
                (
                    "book_vet_visit",
                    {
                        "pet_name": ["Pepper"],
                        "species": ["dog"],
                        "date": ["2027-02-26"],
                        "reason": ["", "check-up", "checkup", "a check-up"],
                    },
                )
            ],
        ),
    ],
    near=[
        "Cancel Miso's vet appointment on Monday.",
        "Is chocolate toxic to dogs?",
    ],
    missing=["Book a vet appointment for my dog Pepper."],
    unrelated=["What's a good name for a grey kitten?"],
)

# --------------------------------------------------------------------------- recipes
D(
    "recipes",
    [
        fn(
            "scale_recipe",
            "Rescale a saved recipe to a different number of servings.",
            {
                "recipe_id": S("Saved recipe id, e.g. 'r-lasagne-02'."),
                "servings": I("Number of servings wanted."),
            },
            ["recipe_id", "servings"],
        ),
        fn(
            "find_recipes",
            "Find saved recipes by ingredient, optionally only vegetarian ones.",
            {
                "ingredient": S("Main ingredient."),
                "vegetarian_only": B("Only vegetarian recipes.", default=False),
                "max_minutes": I("Longest total cooking time."),
            },
            ["ingredient"],
        ),
    ],
    calls=[
        (
            "Scale recipe r-lasagne-02 to 9 servings.",
            [("scale_recipe", {"recipe_id": ["r-lasagne-02"], "servings": [9]})],
        ),
        (
            "I have leeks. Find me vegetarian recipes with them.",
            [("find_recipes", {"ingredient": ["leek", "leeks"], "vegetarian_only": [True]})],
        ),
        (
            "Any saved recipes using chickpeas that take at most 30 minutes?",
            [("find_recipes", {"ingredient": ["chickpeas", "chickpea"], "max_minutes": [30]})],
        ),
        (
            "Make recipe r-dal-11 serve 2 people instead.",
            [("scale_recipe", {"recipe_id": ["r-dal-11"], "servings": [2]})],
        ),
        (
            "Look up recipes with aubergine and recipes with fennel.",
            [
                ("find_recipes", {"ingredient": ["aubergine", "aubergines"]}),
                ("find_recipes", {"ingredient": ["fennel"]}),
            ],
        ),
        (
            "recipes featuring smoked haddock?",
            [("find_recipes", {"ingredient": ["smoked haddock", "haddock"]})],
        ),
    ],
    near=[
        "Add 500 g of flour to my shopping list.",
        "How many calories are in recipe r-lasagne-02?",
    ],
    missing=["Scale the lasagne recipe for more people."],
    unrelated=["What's the difference between baking soda and baking powder?"],
)

# --------------------------------------------------------------------------- museum
D(
    "museum",
    [
        fn(
            "museum_ticket_quote",
            "Price of museum entry tickets for a visit.",
            {
                "adults": I("Number of adults."),
                "children": I("Number of children under 16.", default=0),
                "exhibition": S("Special exhibition to include, if any."),
            },
            ["adults"],
        ),
        fn(
            "exhibition_schedule",
            "Opening and closing dates of the museum's exhibitions in a month.",
            {"month": S("Month as YYYY-MM.")},
            ["month"],
        ),
    ],
    calls=[
        (
            "How much would entry be for 2 adults and 3 children?",
            [("museum_ticket_quote", {"adults": [2], "children": [3], "exhibition": [""]})],
        ),
        (
            "Quote tickets for 4 adults including the Hokusai exhibition.",
            [
                (
                    "museum_ticket_quote",
                    {
                        "adults": [4],
                        "children": ["", 0],
                        "exhibition": ["Hokusai", "the Hokusai exhibition", "Hokusai exhibition"],
                    },
                )
            ],
        ),
        (
            "What exhibitions are on in 2027-04?",
            [("exhibition_schedule", {"month": ["2027-04"]})],
        ),
        (
            "Which exhibitions open in March 2027?",
            [("exhibition_schedule", {"month": ["2027-03"]})],
        ),
        (
            "Show the exhibition schedules for 2027-01 and 2027-02.",
            [
                ("exhibition_schedule", {"month": ["2027-01"]}),
                ("exhibition_schedule", {"month": ["2027-02"]}),
            ],
        ),
        (
            "price for one adult, no kids",
            [("museum_ticket_quote", {"adults": [1], "children": ["", 0], "exhibition": [""]})],
        ),
    ],
    near=[
        "Is the museum café wheelchair accessible?",
        "Buy the tickets for 2 adults now and email them to me.",
    ],
    missing=["What would museum tickets for our family cost?"],
    unrelated=["Who painted The Great Wave off Kanagawa?"],
)

# --------------------------------------------------------------------------- parking
D(
    "parking",
    [
        fn(
            "apply_parking_permit",
            "Apply for a residential parking permit.",
            {
                "registration": S("Vehicle registration plate."),
                "zone": S("Permit zone code, e.g. 'CPZ-K'."),
                "months": E("Permit length in months.", ["3", "6", "12"]),
            },
            ["registration", "zone", "months"],
        ),
        fn(
            "permit_status",
            "Status of a parking permit application by its reference.",
            {"reference": S("Application reference.")},
            ["reference"],
        ),
    ],
    calls=[
        (
            "Apply for a 12-month permit in zone CPZ-K for car LK19 XRT.",
            [
                (
                    "apply_parking_permit",
                    {"registration": ["LK19 XRT", "LK19XRT"], "zone": ["CPZ-K"], "months": ["12"]},
                )
            ],
        ),
        (
            "What's the status of permit application PP-448120?",
            [("permit_status", {"reference": ["PP-448120"]})],
        ),
        (
            "I need a 3 month parking permit, zone CPZ-D, registration BD70 KMN.",
            [
                (
                    "apply_parking_permit",
                    {"registration": ["BD70 KMN", "BD70KMN"], "zone": ["CPZ-D"], "months": ["3"]},
                )
            ],
        ),
        (
            "Has my permit PP-100233 been approved yet?",
            [("permit_status", {"reference": ["PP-100233"]})],
        ),
        (
            "Check permit applications PP-551001 and PP-551002.",
            [
                ("permit_status", {"reference": ["PP-551001"]}),
                ("permit_status", {"reference": ["PP-551002"]}),
            ],
        ),
        (
            "six-month permit please: plate YG21 PLA, zone CPZ-A",
            [
                (
                    "apply_parking_permit",
                    {"registration": ["YG21 PLA", "YG21PLA"], "zone": ["CPZ-A"], "months": ["6"]},
                )
            ],
        ),
    ],
    near=[
        "Pay my parking fine PCN 88121.",
        "Where is the nearest car park with EV chargers?",
    ],
    missing=["Apply for a parking permit for my car LK19 XRT."],
    unrelated=["Is it legal to park on the pavement in London?"],
)

# --------------------------------------------------------------------------- warehouse bins
D(
    "bins",
    [
        fn(
            "locate_bin",
            "Aisle and shelf of a storage bin in the distribution centre.",
            {"bin_code": S("Bin code, e.g. 'B-14-07'.")},
            ["bin_code"],
        ),
        fn(
            "move_pallet",
            "Create a forklift job moving a pallet to another bay.",
            {
                "pallet_id": S("Pallet id."),
                "to_bay": S("Destination bay."),
                "urgent": B("Jump the queue.", default=False),
            },
            ["pallet_id", "to_bay"],
        ),
    ],
    calls=[
        (
            "Where is bin B-14-07?",
            [("locate_bin", {"bin_code": ["B-14-07"]})],
        ),
        (
            "Move pallet PL-90812 to bay D3.",
            [("move_pallet", {"pallet_id": ["PL-90812"], "to_bay": ["D3"]})],
        ),
        (
            "Urgently shift pallet PL-11003 over to bay A1.",
            [("move_pallet", {"pallet_id": ["PL-11003"], "to_bay": ["A1"], "urgent": [True]})],
        ),
        (
            "Find bins C-02-11 and C-02-12 for me.",
            [
                ("locate_bin", {"bin_code": ["C-02-11"]}),
                ("locate_bin", {"bin_code": ["C-02-12"]}),
            ],
        ),
        (
            "which aisle holds bin A-30-01",
            [("locate_bin", {"bin_code": ["A-30-01"]})],
        ),
        (
            "Send a forklift to take pallet PL-77001 to bay F12, no rush.",
            [
                (
                    "move_pallet",
                    {"pallet_id": ["PL-77001"], "to_bay": ["F12"], "urgent": ["", False]},
                )
            ],
        ),
    ],
    near=[
        "How many units of part 4471 are in bin B-14-07?",
        "Who drove forklift 6 last night?",
    ],
    missing=["Move pallet PL-90812 somewhere else."],
    unrelated=["What is the maximum safe stacking height for pallets?"],
)

# --------------------------------------------------------------------------- rehearsals
D(
    "rehearsals",
    [
        fn(
            "book_rehearsal_room",
            "Book a music rehearsal room for a time slot.",
            {
                "room": E("Room.", ["Studio A", "Studio B", "Hall"]),
                "date": S("Date, YYYY-MM-DD."),
                "start": S("Start time, HH:MM (24 h)."),
                "hours": I("Length in whole hours."),
            },
            ["room", "date", "start", "hours"],
        ),
        fn(
            "room_free_slots",
            "Free slots of the rehearsal rooms on a date.",
            {"date": S("Date, YYYY-MM-DD.")},
            ["date"],
        ),
    ],
    calls=[
        (
            "Book Studio B on 2027-02-11 from 19:00 for 2 hours.",
            [
                (
                    "book_rehearsal_room",
                    {
                        "room": ["Studio B"],
                        "date": ["2027-02-11"],
                        "start": ["19:00"],
                        "hours": [2],
                    },
                )
            ],
        ),
        (
            "What rehearsal slots are free on 2027-03-03?",
            [("room_free_slots", {"date": ["2027-03-03"]})],
        ),
        (
            "Reserve the Hall for 3 hours starting 10:00 on 2026-12-19.",
            [
                (
                    "book_rehearsal_room",
                    {"room": ["Hall"], "date": ["2026-12-19"], "start": ["10:00"], "hours": [3]},
                )
            ],
        ),
        (
            "Any free rooms on 2027-01-30 or 2027-01-31?",
            [
                ("room_free_slots", {"date": ["2027-01-30"]}),
                ("room_free_slots", {"date": ["2027-01-31"]}),
            ],
        ),
        (
            "studio A, 2027-04-02, 14:30, one hour",
            [
                (
                    "book_rehearsal_room",
                    {
                        "room": ["Studio A"],
                        "date": ["2027-04-02"],
                        "start": ["14:30"],
                        "hours": [1],
                    },
                )
            ],
        ),
        (
            "Is anything open for rehearsals on 2027-05-15?",
            [("room_free_slots", {"date": ["2027-05-15"]})],
        ),
    ],
    near=[
        "Rent me a bass amplifier for Thursday's rehearsal.",
        "How soundproof is Studio B?",
    ],
    missing=["Book Studio A for two hours on 2027-02-11."],
    unrelated=["How do I tune a guitar to drop D?"],
)

# --------------------------------------------------------------------------- satellites
D(
    "satellites",
    [
        fn(
            "satellite_passes",
            "Visible passes of a satellite over a location in the next days.",
            {
                "satellite": S("Satellite name, e.g. 'ISS'."),
                "latitude": N("Observer latitude in degrees."),
                "longitude": N("Observer longitude in degrees."),
                "days": I("Days ahead to search.", default=3),
            },
            ["satellite", "latitude", "longitude"],
        ),
        fn(
            "satellite_info",
            "Orbit facts (altitude, inclination, launch year) for a satellite.",
            {"satellite": S("Satellite name.")},
            ["satellite"],
        ),
    ],
    calls=[
        (
            "When can I see the ISS from latitude 51.5, longitude -0.12?",
            [
                (
                    "satellite_passes",
                    {"satellite": ["ISS"], "latitude": [51.5], "longitude": [-0.12]},
                )
            ],
        ),
        (
            "What's the orbital inclination of Hubble?",
            [("satellite_info", {"satellite": ["Hubble", "Hubble Space Telescope"]})],
        ),
        (
            "Tiangong passes over 40.4, -3.7 in the next 7 days?",
            [
                (
                    "satellite_passes",
                    {
                        "satellite": ["Tiangong"],
                        "latitude": [40.4],
                        "longitude": [-3.7],
                        "days": [7],
                    },
                )
            ],
        ),
        (
            "Give me orbit details for Sentinel-2A and Landsat 9.",
            [
                ("satellite_info", {"satellite": ["Sentinel-2A"]}),
                ("satellite_info", {"satellite": ["Landsat 9", "Landsat-9"]}),
            ],
        ),
        (
            "when was NOAA-20 launched",
            [("satellite_info", {"satellite": ["NOAA-20"]})],
        ),
        (
            "ISS passes for lat -33.9 lon 151.2",
            [
                (
                    "satellite_passes",
                    {"satellite": ["ISS"], "latitude": [-33.9], "longitude": [151.2]},
                )
            ],
        ),
    ],
    near=[
        "Point my telescope mount at the ISS.",
        "Will it be cloudy tonight when the ISS passes?",
    ],
    missing=["When is the next visible ISS pass where I live?"],
    unrelated=["Why do satellites not fall down?"],
)

# --------------------------------------------------------------------------- pharmacy
D(
    "pharmacy",
    [
        fn(
            "request_refill",
            "Ask the pharmacy to refill a repeat prescription.",
            {
                "prescription_number": S("Prescription number."),
                "pickup_store": S("Store for collection."),
            },
            ["prescription_number", "pickup_store"],
        ),
        fn(
            "refill_ready",
            "Whether a refill request is ready for collection.",
            {"request_id": S("Refill request id.")},
            ["request_id"],
        ),
    ],
    calls=[
        (
            "Refill prescription RX-554019 for pickup at the Mill Lane store.",
            [
                (
                    "request_refill",
                    {
                        "prescription_number": ["RX-554019"],
                        "pickup_store": ["Mill Lane", "Mill Lane store"],
                    },
                )
            ],
        ),
        (
            "Is refill request RR-8812 ready?",
            [("refill_ready", {"request_id": ["RR-8812"]})],
        ),
        (
            "Please get RX-100442 refilled, I'll collect from Harbour Road.",
            [
                (
                    "request_refill",
                    {"prescription_number": ["RX-100442"], "pickup_store": ["Harbour Road"]},
                )
            ],
        ),
        (
            "Can I pick up RR-3001 and RR-3002 yet?",
            [
                ("refill_ready", {"request_id": ["RR-3001"]}),
                ("refill_ready", {"request_id": ["RR-3002"]}),
            ],
        ),
        (
            "check refill RR-0097",
            [("refill_ready", {"request_id": ["RR-0097"]})],
        ),
        (
            "Order refills of RX-7001 and RX-7002, both to the Station Square store.",
            [
                (
                    "request_refill",
                    {
                        "prescription_number": ["RX-7001"],
                        "pickup_store": ["Station Square", "Station Square store"],
                    },
                ),
                (
                    "request_refill",
                    {
                        "prescription_number": ["RX-7002"],
                        "pickup_store": ["Station Square", "Station Square store"],
                    },
                ),
            ],
        ),
    ],
    near=[
        "Can I take ibuprofen together with my blood pressure tablets?",
        "Transfer my prescription RX-554019 to another pharmacy chain.",
    ],
    missing=["Refill my prescription at the Mill Lane store."],
    unrelated=["What is the difference between a generic and a brand-name drug?"],
)

# --------------------------------------------------------------------------- chess
D(
    "chess",
    [
        fn(
            "player_rating",
            "Current rating of a club chess player.",
            {
                "player": S("Player's full name."),
                "time_control": E(
                    "Rating list.", ["classical", "rapid", "blitz"], default="classical"
                ),
            },
            ["player"],
        ),
        fn(
            "register_for_tournament",
            "Enter a player into a club tournament.",
            {
                "player": S("Player's full name."),
                "tournament": S("Tournament name."),
            },
            ["player", "tournament"],
        ),
    ],
    calls=[
        (
            "What's Ana Duarte's blitz rating?",
            [("player_rating", {"player": ["Ana Duarte"], "time_control": ["blitz"]})],
        ),
        (
            "Sign Tom Brekke up for the Winter Open.",
            [
                (
                    "register_for_tournament",
                    {"player": ["Tom Brekke"], "tournament": ["Winter Open", "the Winter Open"]},
                )
            ],
        ),
        (
            "Look up the classical rating of Mei Sato.",
            [("player_rating", {"player": ["Mei Sato"], "time_control": ["classical", ""]})],
        ),
        (
            "Compare the rapid ratings of Ivo Petrov and Lena Hart.",
            [
                ("player_rating", {"player": ["Ivo Petrov"], "time_control": ["rapid"]}),
                ("player_rating", {"player": ["Lena Hart"], "time_control": ["rapid"]}),
            ],
        ),
        (
            "Enter Priya Nair in the Spring Rapidplay tournament.",
            [
                (
                    "register_for_tournament",
                    {"player": ["Priya Nair"], "tournament": ["Spring Rapidplay"]},
                )
            ],
        ),
        (
            "rating for Jonas Berg?",
            [("player_rating", {"player": ["Jonas Berg"], "time_control": ["", "classical"]})],
        ),
    ],
    near=[
        "Who won the Winter Open last year?",
        "Analyse this position for me: white king g1, black queen h2.",
    ],
    missing=["Register me for the Winter Open."],
    unrelated=["Why is the Sicilian Defence so popular?"],
)

# --------------------------------------------------------------------------- brewery
D(
    "brewery",
    [
        fn(
            "log_gravity_reading",
            "Record a hydrometer reading for a fermenting batch.",
            {
                "batch": S("Batch code, e.g. 'IPA-31'."),
                "specific_gravity": N("Specific gravity, e.g. 1.012."),
                "temperature_c": N("Wort temperature in Celsius."),
            },
            ["batch", "specific_gravity"],
        ),
        fn(
            "batch_summary",
            "Recipe, start date and readings so far for a brewing batch.",
            {"batch": S("Batch code.")},
            ["batch"],
        ),
    ],
    calls=[
        (
            "Log a gravity of 1.012 for batch IPA-31.",
            [
                (
                    "log_gravity_reading",
                    {"batch": ["IPA-31"], "specific_gravity": [1.012], "temperature_c": [""]},
                )
            ],
        ),
        (
            "Batch STOUT-07 reads 1.020 at 18.5 degrees C, record it.",
            [
                (
                    "log_gravity_reading",
                    {"batch": ["STOUT-07"], "specific_gravity": [1.02], "temperature_c": [18.5]},
                )
            ],
        ),
        (
            "How is batch SAISON-02 doing?",
            [("batch_summary", {"batch": ["SAISON-02"]})],
        ),
        (
            "Show me summaries for batches IPA-30 and IPA-31.",
            [
                ("batch_summary", {"batch": ["IPA-30"]}),
                ("batch_summary", {"batch": ["IPA-31"]}),
            ],
        ),
        (
            "what recipe did we use for batch PILS-12",
            [("batch_summary", {"batch": ["PILS-12"]})],
        ),
        (
            "SG 1.048 on MILD-04 today.",
            [
                (
                    "log_gravity_reading",
                    {"batch": ["MILD-04"], "specific_gravity": [1.048], "temperature_c": [""]},
                )
            ],
        ),
    ],
    near=[
        "Order 25 kg of Maris Otter malt from our supplier.",
        "What's the alcohol content of the stout we sold last year?",
    ],
    missing=["Record a gravity reading for batch IPA-31."],
    unrelated=["What does dry hopping do to a beer?"],
)

# --------------------------------------------------------------------------- beehives
D(
    "beehives",
    [
        fn(
            "record_hive_inspection",
            "Record an apiary hive inspection.",
            {
                "hive": S("Hive label, e.g. 'H3'."),
                "queen_seen": B("Whether the queen was seen."),
                "frames_of_brood": I("Frames with brood."),
                "notes": S("Free-text notes."),
            },
            ["hive", "queen_seen"],
        ),
        fn(
            "hive_history",
            "Past inspections of a hive.",
            {"hive": S("Hive label."), "last_n": I("How many inspections.", default=5)},
            ["hive"],
        ),
    ],
    calls=[
        (
            "Hive H3 inspected: queen seen, 6 frames of brood.",
            [
                (
                    "record_hive_inspection",
                    {"hive": ["H3"], "queen_seen": [True], "frames_of_brood": [6], "notes": [""]},
                )
            ],
        ),
        (
            "Record that I didn't spot the queen in hive H7 today.",
            [
                (
                    "record_hive_inspection",
                    {"hive": ["H7"], "queen_seen": [False], "frames_of_brood": [""], "notes": [""]},
                )
            ],
        ),
        (
            "Show the last 10 inspections of hive H1.",
            [("hive_history", {"hive": ["H1"], "last_n": [10]})],
        ),
        (
            "How has hive H2 been doing lately?",
            [("hive_history", {"hive": ["H2"]})],
        ),
        (
            "Pull the inspection history of hives H4 and H5.",
            [
                ("hive_history", {"hive": ["H4"]}),
                ("hive_history", {"hive": ["H5"]}),
            ],
        ),
        (
            "H9: queen present, 4 brood frames, note 'calm colony'",
            [
                (
                    "record_hive_inspection",
                    {
                        "hive": ["H9"],
                        "queen_seen": [True],
                        "frames_of_brood": [4],
                        "notes": ["calm colony"],
                    },
                )
            ],
        ),
    ],
    near=[
        "Order a new queen bee for hive H3.",
        "Treat hive H3 for varroa mites now.",
    ],
    missing=["Log an inspection: queen seen, 6 frames of brood."],
    unrelated=["Why do bees swarm in spring?"],
)

# --------------------------------------------------------------------------- ski lifts
D(
    "skilifts",
    [
        fn(
            "lift_status",
            "Open, closed or on hold status of the lifts in a ski resort.",
            {"resort": S("Resort name."), "lift": S("One lift's name; omit for all lifts.")},
            ["resort"],
        ),
        fn(
            "snow_depth_report",
            "Snow depth at base and summit of a ski resort today.",
            {"resort": S("Resort name."), "units": E("Depth units.", ["cm", "in"], default="cm")},
            ["resort"],
        ),
    ],
    calls=[
        (
            "Are the lifts at Verbier running?",
            [("lift_status", {"resort": ["Verbier"], "lift": [""]})],
        ),
        (
            "Is the Gondola Express at Whistler open?",
            [("lift_status", {"resort": ["Whistler"], "lift": ["Gondola Express"]})],
        ),
        (
            "How much snow is there at Niseko, in inches?",
            [("snow_depth_report", {"resort": ["Niseko"], "units": ["in"]})],
        ),
        (
            "Snow depth at Zermatt and Chamonix?",
            [
                ("snow_depth_report", {"resort": ["Zermatt"]}),
                ("snow_depth_report", {"resort": ["Chamonix"]}),
            ],
        ),
        (
            "lift status Val Thorens",
            [("lift_status", {"resort": ["Val Thorens"], "lift": [""]})],
        ),
        (
            "Give me today's snow report for Ischgl.",
            [("snow_depth_report", {"resort": ["Ischgl"]})],
        ),
    ],
    near=[
        "Buy me a 3-day lift pass for Verbier.",
        "What's the avalanche risk at Zermatt today?",
    ],
    missing=["Is the Gondola Express lift open right now?"],
    unrelated=["Should a beginner learn to ski or snowboard first?"],
)

# --------------------------------------------------------------------------- flashcards
D(
    "flashcards",
    [
        fn(
            "add_flashcard",
            "Add a card to a language-learning deck.",
            {
                "deck": S("Deck name."),
                "front": S("Text on the front (the prompt)."),
                "back": S("Text on the back (the answer)."),
            },
            ["deck", "front", "back"],
        ),
        fn(
            "due_cards",
            "Cards due for review today in a deck.",
            {"deck": S("Deck name."), "limit": I("Most cards to return.", default=20)},
            ["deck"],
        ),
    ],
    calls=[
        (
            "Add a card to my Italian deck: front 'la finestra', back 'the window'.",
            [
                (
                    "add_flashcard",
                    {"deck": ["Italian"], "front": ["la finestra"], "back": ["the window"]},
                )
            ],
        ),
        (
            "What's due for review in my Japanese N4 deck?",
            [("due_cards", {"deck": ["Japanese N4"]})],
        ),
        (
            "Show me 5 due cards from the deck 'Greek verbs'.",
            [("due_cards", {"deck": ["Greek verbs"], "limit": [5]})],
        ),
        (
            "New card in Swedish: 'sköldpadda' means 'turtle'.",
            [("add_flashcard", {"deck": ["Swedish"], "front": ["sköldpadda"], "back": ["turtle"]})],
        ),
        (
            "Add two cards to the Dutch deck: 'de fiets' = 'the bicycle' and 'het strand' = 'the beach'.",
            [
                (
                    "add_flashcard",
                    {"deck": ["Dutch"], "front": ["de fiets"], "back": ["the bicycle"]},
                ),
                (
                    "add_flashcard",
                    {"deck": ["Dutch"], "front": ["het strand"], "back": ["the beach"]},
                ),
            ],
        ),
        (
            "due cards in 'Korean basics'?",
            [("due_cards", {"deck": ["Korean basics"]})],
        ),
    ],
    near=[
        "Delete the deck called 'Greek verbs'.",
        "How many days in a row have I studied?",
    ],
    missing=["Add 'la finestra' to my deck."],
    unrelated=["What does 'sköldpadda' literally mean in Swedish?"],
)

# --------------------------------------------------------------------------- solar
D(
    "solar",
    [
        fn(
            "inverter_output",
            "Energy produced by a home solar inverter over a period.",
            {
                "site_id": S("Installation id, e.g. 'SOL-2231'."),
                "period": E("Period.", ["today", "week", "month", "year"]),
            },
            ["site_id", "period"],
        ),
        fn(
            "panel_faults",
            "Open fault alerts for the panels of an installation.",
            {"site_id": S("Installation id.")},
            ["site_id"],
        ),
    ],
    calls=[
        (
            "How much did SOL-2231 generate today?",
            [("inverter_output", {"site_id": ["SOL-2231"], "period": ["today"]})],
        ),
        (
            "Any faults on installation SOL-0458?",
            [("panel_faults", {"site_id": ["SOL-0458"]})],
        ),
        (
            "Show this month's production for site SOL-9912.",
            [("inverter_output", {"site_id": ["SOL-9912"], "period": ["month"]})],
        ),
        (
            "Yearly output for SOL-1001 and SOL-1002, please.",
            [
                ("inverter_output", {"site_id": ["SOL-1001"], "period": ["year"]}),
                ("inverter_output", {"site_id": ["SOL-1002"], "period": ["year"]}),
            ],
        ),
        (
            "are there panel alerts at SOL-3300",
            [("panel_faults", {"site_id": ["SOL-3300"]})],
        ),
        (
            "What did SOL-2231 produce over the past week?",
            [("inverter_output", {"site_id": ["SOL-2231"], "period": ["week"]})],
        ),
    ],
    near=[
        "Sell my surplus solar power back to the grid at the best price.",
        "What did the installation at SOL-2231 cost to buy?",
    ],
    missing=["How much energy did my panels produce this month?"],
    unrelated=["Do solar panels work on cloudy days?"],
)

# --------------------------------------------------------------------------- aquarium
D(
    "aquarium",
    [
        fn(
            "log_water_test",
            "Record an aquarium water test.",
            {
                "tank": S("Tank name."),
                "ph": N("pH value."),
                "ammonia_ppm": N("Ammonia in ppm."),
                "nitrate_ppm": N("Nitrate in ppm."),
            },
            ["tank", "ph"],
        ),
        fn(
            "water_trend",
            "Trend of one water parameter in a tank over recent weeks.",
            {
                "tank": S("Tank name."),
                "parameter": E("Parameter.", ["ph", "ammonia", "nitrate"]),
                "weeks": I("How many weeks back.", default=4),
            },
            ["tank", "parameter"],
        ),
    ],
    calls=[
        (
            "Log a water test for the reef tank: pH 8.2, nitrate 5 ppm.",
            [
                (
                    "log_water_test",
                    {
                        "tank": ["reef tank", "reef"],
                        "ph": [8.2],
                        "nitrate_ppm": [5],
                        "ammonia_ppm": [""],
                    },
                )
            ],
        ),
        (
            "How has the nitrate in the shrimp tank changed over the last 8 weeks?",
            [
                (
                    "water_trend",
                    {"tank": ["shrimp tank", "shrimp"], "parameter": ["nitrate"], "weeks": [8]},
                )
            ],
        ),
        (
            "Record pH 6.8 and ammonia 0.25 ppm for tank Amazonas.",
            [
                (
                    "log_water_test",
                    {"tank": ["Amazonas"], "ph": [6.8], "ammonia_ppm": [0.25], "nitrate_ppm": [""]},
                )
            ],
        ),
        (
            "Show the pH trend for the tank called Betta Cube.",
            [("water_trend", {"tank": ["Betta Cube"], "parameter": ["ph"]})],
        ),
        (
            "Compare ammonia trends in tanks Lake Malawi and Amazonas.",
            [
                ("water_trend", {"tank": ["Lake Malawi"], "parameter": ["ammonia"]}),
                ("water_trend", {"tank": ["Amazonas"], "parameter": ["ammonia"]}),
            ],
        ),
        (
            "reef tank ph 8.1",
            [
                (
                    "log_water_test",
                    {
                        "tank": ["reef tank", "reef"],
                        "ph": [8.1],
                        "ammonia_ppm": [""],
                        "nitrate_ppm": [""],
                    },
                )
            ],
        ),
    ],
    near=[
        "Dose 10 ml of water conditioner into the reef tank.",
        "Which fish can live with a betta?",
    ],
    missing=["Log a water test for the reef tank."],
    unrelated=["What is the nitrogen cycle in an aquarium?"],
)

# --------------------------------------------------------------------------- car rental
D(
    "carrental",
    [
        fn(
            "rental_quote",
            "Price a car rental.",
            {
                "pickup_location": S("Pickup branch or airport code."),
                "pickup_date": S("YYYY-MM-DD."),
                "return_date": S("YYYY-MM-DD."),
                "car_class": E(
                    "Car class.", ["mini", "compact", "estate", "van"], default="compact"
                ),
            },
            ["pickup_location", "pickup_date", "return_date"],
        ),
        fn(
            "report_return_mileage",
            "Record the odometer reading when a rental car comes back.",
            {"agreement": S("Rental agreement number."), "odometer_km": I("Odometer in km.")},
            ["agreement", "odometer_km"],
        ),
    ],
    calls=[
        (
            "Quote a van from FAO airport, 2027-07-01 to 2027-07-08.",
            [
                (
                    "rental_quote",
                    {
                        "pickup_location": ["FAO", "FAO airport"],
                        "pickup_date": ["2027-07-01"],
                        "return_date": ["2027-07-08"],
                        "car_class": ["van"],
                    },
                )
            ],
        ),
        (
            "Agreement RA-88120 came back with 45210 km on the clock.",
            [("report_return_mileage", {"agreement": ["RA-88120"], "odometer_km": [45210]})],
        ),
        (
            "How much is a compact car at the Leith branch from 2027-03-10 until 2027-03-12?",
            [
                (
                    "rental_quote",
                    {
                        "pickup_location": ["Leith", "Leith branch"],
                        "pickup_date": ["2027-03-10"],
                        "return_date": ["2027-03-12"],
                        "car_class": ["compact", ""],
                    },
                )
            ],
        ),
        (
            "Price a mini and an estate at BCN for 2027-09-04 to 2027-09-06.",
            [
                (
                    "rental_quote",
                    {
                        "pickup_location": ["BCN"],
                        "pickup_date": ["2027-09-04"],
                        "return_date": ["2027-09-06"],
                        "car_class": ["mini"],
                    },
                ),
                (
                    "rental_quote",
                    {
                        "pickup_location": ["BCN"],
                        "pickup_date": ["2027-09-04"],
                        "return_date": ["2027-09-06"],
                        "car_class": ["estate"],
                    },
                ),
            ],
        ),
        (
            "odometer 12004 km for agreement RA-10001",
            [("report_return_mileage", {"agreement": ["RA-10001"], "odometer_km": [12004]})],
        ),
        (
            "Rental from OPO, pick up 2027-05-20, drop off 2027-05-27 - what's the price?",
            [
                (
                    "rental_quote",
                    {
                        "pickup_location": ["OPO"],
                        "pickup_date": ["2027-05-20"],
                        "return_date": ["2027-05-27"],
                        "car_class": ["", "compact"],
                    },
                )
            ],
        ),
    ],
    near=[
        "Add a child seat to my booking RA-88120.",
        "Is my credit card insurance enough to cover a rental car excess?",
    ],
    missing=["Quote a compact car from FAO airport for next week."],
    unrelated=["Which side of the road do they drive on in Portugal?"],
)

# --------------------------------------------------------------------------- customs
D(
    "customs",
    [
        fn(
            "customs_duty_estimate",
            "Estimate import duty for a parcel.",
            {
                "destination_country": S("ISO country code, e.g. 'CH'."),
                "declared_value": N("Declared value."),
                "currency": S("ISO currency code of the value."),
                "category": E(
                    "Goods category.", ["clothing", "electronics", "books", "cosmetics", "other"]
                ),
            },
            ["destination_country", "declared_value", "currency", "category"],
        ),
        fn(
            "customs_hold_status",
            "Whether a tracked parcel is held at customs and why.",
            {"tracking_number": S("Parcel tracking number.")},
            ["tracking_number"],
        ),
    ],
    calls=[
        (
            "How much duty on electronics worth 420 EUR shipped to CH?",
            [
                (
                    "customs_duty_estimate",
                    {
                        "destination_country": ["CH"],
                        "declared_value": [420],
                        "currency": ["EUR"],
                        "category": ["electronics"],
                    },
                )
            ],
        ),
        (
            "Is parcel JD014600006281 stuck at customs?",
            [("customs_hold_status", {"tracking_number": ["JD014600006281"]})],
        ),
        (
            "Estimate import duty for 85 GBP of clothing going to NO.",
            [
                (
                    "customs_duty_estimate",
                    {
                        "destination_country": ["NO"],
                        "declared_value": [85],
                        "currency": ["GBP"],
                        "category": ["clothing"],
                    },
                )
            ],
        ),
        (
            "Check customs holds for parcels RR123456785GB and RR987654325GB.",
            [
                ("customs_hold_status", {"tracking_number": ["RR123456785GB"]}),
                ("customs_hold_status", {"tracking_number": ["RR987654325GB"]}),
            ],
        ),
        (
            "books, 60 USD, to AU - any duty?",
            [
                (
                    "customs_duty_estimate",
                    {
                        "destination_country": ["AU"],
                        "declared_value": [60],
                        "currency": ["USD"],
                        "category": ["books"],
                    },
                )
            ],
        ),
        (
            "why is my parcel 1Z999AA10123456784 held",
            [("customs_hold_status", {"tracking_number": ["1Z999AA10123456784"]})],
        ),
    ],
    near=[
        "Pay the customs charge on parcel JD014600006281.",
        "Fill in a CN23 customs form for my parcel.",
    ],
    missing=["How much import duty would I pay on a new laptop?"],
    unrelated=["Why do countries charge import duties at all?"],
)

# --------------------------------------------------------------------------- wine cellar
D(
    "cellar",
    [
        fn(
            "cellar_add_bottles",
            "Add bottles to the wine cellar inventory.",
            {
                "wine": S("Wine name."),
                "vintage": I("Vintage year."),
                "bottles": I("Number of bottles."),
            },
            ["wine", "vintage", "bottles"],
        ),
        fn(
            "cellar_drinking_window",
            "Recommended drinking window for a wine in the cellar.",
            {"wine": S("Wine name."), "vintage": I("Vintage year.")},
            ["wine", "vintage"],
        ),
    ],
    calls=[
        (
            "Add 6 bottles of Chateau Musar 2016 to the cellar.",
            [
                (
                    "cellar_add_bottles",
                    {"wine": ["Chateau Musar", "Château Musar"], "vintage": [2016], "bottles": [6]},
                )
            ],
        ),
        (
            "When should I drink the 2019 Barolo Cannubi?",
            [("cellar_drinking_window", {"wine": ["Barolo Cannubi"], "vintage": [2019]})],
        ),
        (
            "Log a dozen Rioja Gran Reserva, vintage 2012.",
            [
                (
                    "cellar_add_bottles",
                    {"wine": ["Rioja Gran Reserva"], "vintage": [2012], "bottles": [12]},
                )
            ],
        ),
        (
            "Drinking windows for Vouvray Sec 2020 and Vouvray Sec 2022?",
            [
                ("cellar_drinking_window", {"wine": ["Vouvray Sec"], "vintage": [2020]}),
                ("cellar_drinking_window", {"wine": ["Vouvray Sec"], "vintage": [2022]}),
            ],
        ),
        (
            "is the 2015 Hermitage La Chapelle ready to drink",
            [("cellar_drinking_window", {"wine": ["Hermitage La Chapelle"], "vintage": [2015]})],
        ),
        (
            "3 bottles Sancerre 2023 just arrived, add them",
            [("cellar_add_bottles", {"wine": ["Sancerre"], "vintage": [2023], "bottles": [3]})],
        ),
    ],
    near=[
        "What is my 2016 Chateau Musar worth at auction?",
        "Set the cellar temperature to 12 degrees.",
    ],
    missing=["Add some bottles of Chateau Musar to the cellar."],
    unrelated=["Which grape is Barolo made from?"],
)

# --------------------------------------------------------------------------- frost alerts
D(
    "frost",
    [
        fn(
            "subscribe_frost_alert",
            "Text the gardener when frost is forecast at a postcode.",
            {
                "postcode": S("Postcode."),
                "phone": S("Mobile number for the alert."),
                "threshold_c": N("Alert when the forecast minimum is below this.", default=0),
            },
            ["postcode", "phone"],
        ),
        fn(
            "last_frost_date",
            "Typical last spring frost date for a postcode from climate records.",
            {"postcode": S("Postcode.")},
            ["postcode"],
        ),
    ],
    calls=[
        (
            "Text me at 07700 900123 when frost is forecast in EH10 4BF.",
            [
                (
                    "subscribe_frost_alert",
                    {"postcode": ["EH10 4BF"], "phone": ["07700 900123", "07700900123"]},
                )
            ],
        ),
        (
            "When is the last frost usually in YO1 7HH?",
            [("last_frost_date", {"postcode": ["YO1 7HH"]})],
        ),
        (
            "Alert 07700 900456 if it drops below 2 degrees in BS3 1AA.",
            [
                (
                    "subscribe_frost_alert",
                    {
                        "postcode": ["BS3 1AA"],
                        "phone": ["07700 900456", "07700900456"],
                        "threshold_c": [2],
                    },
                )
            ],
        ),
        (
            "Typical last frost for both LL55 4UR and TR18 2BZ?",
            [
                ("last_frost_date", {"postcode": ["LL55 4UR"]}),
                ("last_frost_date", {"postcode": ["TR18 2BZ"]}),
            ],
        ),
        (
            "last frost date for postcode IV2 3PA",
            [("last_frost_date", {"postcode": ["IV2 3PA"]})],
        ),
        (
            "Sign 07700 900789 up for frost alerts at NR2 1RQ.",
            [
                (
                    "subscribe_frost_alert",
                    {
                        "postcode": ["NR2 1RQ"],
                        "phone": ["07700 900789", "07700900789"],
                        "threshold_c": ["", 0],
                    },
                )
            ],
        ),
    ],
    near=[
        "Will it rain in EH10 4BF this weekend?",
        "Cancel my frost alerts.",
    ],
    missing=["Text me when frost is forecast at my allotment."],
    unrelated=["Which vegetables survive a light frost?"],
)

# --------------------------------------------------------------------------- podcasts
D(
    "podcasts",
    [
        fn(
            "search_podcast_episodes",
            "Search podcast episodes by topic words.",
            {
                "topic": S("Topic words."),
                "podcast": S("Limit to one podcast by name."),
                "max_results": I("Most episodes to return.", default=10),
            },
            ["topic"],
        ),
        fn(
            "queue_episode",
            "Add an episode to the listener's play queue.",
            {
                "episode_id": S("Episode id, e.g. 'ep-8841'."),
                "play_next": B("Put it first.", default=False),
            },
            ["episode_id"],
        ),
    ],
    calls=[
        (
            "Find podcast episodes about sourdough fermentation.",
            [("search_podcast_episodes", {"topic": ["sourdough fermentation", "sourdough"]})],
        ),
        (
            "Queue episode ep-8841 to play next.",
            [("queue_episode", {"episode_id": ["ep-8841"], "play_next": [True]})],
        ),
        (
            "Search 'The Rest Is History' for episodes on the Hanseatic League, 3 results.",
            [
                (
                    "search_podcast_episodes",
                    {
                        "topic": ["Hanseatic League", "the Hanseatic League"],
                        "podcast": ["The Rest Is History"],
                        "max_results": [3],
                    },
                )
            ],
        ),
        (
            "Add ep-1200 and ep-1201 to my queue.",
            [
                ("queue_episode", {"episode_id": ["ep-1200"]}),
                ("queue_episode", {"episode_id": ["ep-1201"]}),
            ],
        ),
        (
            "episodes about deep sea mining?",
            [("search_podcast_episodes", {"topic": ["deep sea mining", "deep-sea mining"]})],
        ),
        (
            "put ep-5005 at the end of my queue",
            [("queue_episode", {"episode_id": ["ep-5005"], "play_next": ["", False]})],
        ),
    ],
    near=[
        "Transcribe episode ep-8841 for me.",
        "Unsubscribe me from The Rest Is History.",
    ],
    missing=["Queue that episode to play next."],
    unrelated=["What microphone do most podcasters start with?"],
)

# --------------------------------------------------------------------------- 3d printing
D(
    "printing3d",
    [
        fn(
            "submit_print_job",
            "Queue a model file on the makerspace 3D printers.",
            {
                "file_name": S("STL or 3MF file name."),
                "material": E("Filament.", ["PLA", "PETG", "ABS", "TPU"]),
                "infill_percent": I("Infill percentage.", default=20),
            },
            ["file_name", "material"],
        ),
        fn(
            "print_queue_position",
            "Where a submitted print job is in the queue.",
            {"job_id": S("Print job id.")},
            ["job_id"],
        ),
    ],
    calls=[
        (
            "Print bracket_v3.stl in PETG.",
            [("submit_print_job", {"file_name": ["bracket_v3.stl"], "material": ["PETG"]})],
        ),
        (
            "Where's job PJ-4410 in the print queue?",
            [("print_queue_position", {"job_id": ["PJ-4410"]})],
        ),
        (
            "Queue phone_stand.3mf in PLA at 40% infill.",
            [
                (
                    "submit_print_job",
                    {"file_name": ["phone_stand.3mf"], "material": ["PLA"], "infill_percent": [40]},
                )
            ],
        ),
        (
            "Print gasket.stl in TPU and hinge.stl in PLA.",
            [
                ("submit_print_job", {"file_name": ["gasket.stl"], "material": ["TPU"]}),
                ("submit_print_job", {"file_name": ["hinge.stl"], "material": ["PLA"]}),
            ],
        ),
        (
            "status of print PJ-0099?",
            [("print_queue_position", {"job_id": ["PJ-0099"]})],
        ),
        (
            "ABS print of enclosure_lid.stl please, 100% infill",
            [
                (
                    "submit_print_job",
                    {
                        "file_name": ["enclosure_lid.stl"],
                        "material": ["ABS"],
                        "infill_percent": [100],
                    },
                )
            ],
        ),
    ],
    near=[
        "Design a 3D model of a cable clip for me.",
        "How much filament is left on printer 2?",
    ],
    missing=["Print bracket_v3.stl for me."],
    unrelated=["Why does PLA warp less than ABS?"],
)

# --------------------------------------------------------------------------- laundromat
D(
    "laundromat",
    [
        fn(
            "reserve_washer",
            "Reserve a washing machine at the laundromat.",
            {
                "size": E("Machine size.", ["small", "large"]),
                "start_time": S("Start time, HH:MM."),
                "program": E(
                    "Wash program.",
                    ["cotton", "synthetics", "delicates", "duvet"],
                    default="cotton",
                ),
            },
            ["size", "start_time"],
        ),
        fn(
            "machine_time_left",
            "Minutes left on a running machine.",
            {"machine_number": I("Number on the machine.")},
            ["machine_number"],
        ),
    ],
    calls=[
        (
            "Reserve a large washer at 18:30 on the duvet program.",
            [
                (
                    "reserve_washer",
                    {"size": ["large"], "start_time": ["18:30"], "program": ["duvet"]},
                )
            ],
        ),
        (
            "How long is left on machine 7?",
            [("machine_time_left", {"machine_number": [7]})],
        ),
        (
            "Book a small machine for 09:15.",
            [
                (
                    "reserve_washer",
                    {"size": ["small"], "start_time": ["09:15"], "program": ["", "cotton"]},
                )
            ],
        ),
        (
            "Time remaining on machines 3 and 4?",
            [
                ("machine_time_left", {"machine_number": [3]}),
                ("machine_time_left", {"machine_number": [4]}),
            ],
        ),
        (
            "small washer, delicates, 20:00",
            [
                (
                    "reserve_washer",
                    {"size": ["small"], "start_time": ["20:00"], "program": ["delicates"]},
                )
            ],
        ),
        (
            "is number 12 nearly done?",
            [("machine_time_left", {"machine_number": [12]})],
        ),
    ],
    near=[
        "Reserve a tumble dryer for 19:00.",
        "Top up my laundry card with 10 euros.",
    ],
    missing=["Reserve a washing machine for tonight."],
    unrelated=["How do I get a red wine stain out of a cotton shirt?"],
)

# --------------------------------------------------------------------------- blood donation
D(
    "blooddonation",
    [
        fn(
            "donation_slots",
            "Free blood donation appointments at a donor centre on a date.",
            {"centre": S("Donor centre name."), "date": S("YYYY-MM-DD.")},
            ["centre", "date"],
        ),
        fn(
            "book_donation",
            "Book a donation slot.",
            {
                "slot_id": S("Slot id returned by donation_slots."),
                "donor_number": S("Donor number."),
                "donation_type": E(
                    "Type.", ["whole_blood", "plasma", "platelets"], default="whole_blood"
                ),
            },
            ["slot_id", "donor_number"],
        ),
    ],
    calls=[
        (
            "Free slots at the Tooting donor centre on 2027-02-03?",
            [
                (
                    "donation_slots",
                    {"centre": ["Tooting", "Tooting donor centre"], "date": ["2027-02-03"]},
                )
            ],
        ),
        (
            "Book slot S-2231 for donor 1188-4410.",
            [
                (
                    "book_donation",
                    {
                        "slot_id": ["S-2231"],
                        "donor_number": ["1188-4410"],
                        "donation_type": ["", "whole_blood"],
                    },
                )
            ],
        ),
        (
            "Book plasma donation slot S-9001 for donor number 2200-1177.",
            [
                (
                    "book_donation",
                    {
                        "slot_id": ["S-9001"],
                        "donor_number": ["2200-1177"],
                        "donation_type": ["plasma"],
                    },
                )
            ],
        ),
        (
            "Check appointments at Leeds City and Bradford centres on 2027-03-12.",
            [
                (
                    "donation_slots",
                    {"centre": ["Leeds City", "Leeds City centre"], "date": ["2027-03-12"]},
                ),
                (
                    "donation_slots",
                    {"centre": ["Bradford", "Bradford centre"], "date": ["2027-03-12"]},
                ),
            ],
        ),
        (
            "any donation appointments at Manchester Plymouth Grove on 2027-01-22",
            [
                (
                    "donation_slots",
                    {
                        "centre": ["Manchester Plymouth Grove", "Plymouth Grove"],
                        "date": ["2027-01-22"],
                    },
                )
            ],
        ),
        (
            "platelets, slot S-4444, donor 3001-0005",
            [
                (
                    "book_donation",
                    {
                        "slot_id": ["S-4444"],
                        "donor_number": ["3001-0005"],
                        "donation_type": ["platelets"],
                    },
                )
            ],
        ),
    ],
    near=[
        "Can I give blood two weeks after getting a tattoo?",
        "What is my blood type on record?",
    ],
    missing=["Book me a blood donation appointment at Tooting."],
    unrelated=["Why is O negative called the universal donor?"],
)

# --------------------------------------------------------------------------- observatory
D(
    "observatory",
    [
        fn(
            "book_telescope_time",
            "Book a session on the public observatory's telescope.",
            {
                "night": S("Date of the night, YYYY-MM-DD."),
                "target": S("Object to observe, e.g. 'M31'."),
                "minutes": I("Session length.", default=30),
            },
            ["night", "target"],
        ),
        fn(
            "seeing_forecast",
            "Astronomical seeing and cloud forecast at the observatory for a night.",
            {"night": S("Date of the night, YYYY-MM-DD.")},
            ["night"],
        ),
    ],
    calls=[
        (
            "Book the telescope on 2027-01-09 to look at M42.",
            [("book_telescope_time", {"night": ["2027-01-09"], "target": ["M42"]})],
        ),
        (
            "What's the seeing forecast for the night of 2027-02-14?",
            [("seeing_forecast", {"night": ["2027-02-14"]})],
        ),
        (
            "60 minutes on Saturn, night of 2027-08-30.",
            [
                (
                    "book_telescope_time",
                    {"night": ["2027-08-30"], "target": ["Saturn"], "minutes": [60]},
                )
            ],
        ),
        (
            "Seeing forecasts for 2027-03-05 and 2027-03-06?",
            [
                ("seeing_forecast", {"night": ["2027-03-05"]}),
                ("seeing_forecast", {"night": ["2027-03-06"]}),
            ],
        ),
        (
            "reserve a slot for the Andromeda galaxy (M31) on 2026-12-28",
            [
                (
                    "book_telescope_time",
                    {
                        "night": ["2026-12-28"],
                        "target": ["M31", "Andromeda galaxy", "the Andromeda galaxy", "Andromeda"],
                    },
                )
            ],
        ),
        (
            "will the sky be clear at the observatory on 2027-04-10",
            [("seeing_forecast", {"night": ["2027-04-10"]})],
        ),
    ],
    near=[
        "Send me the photos taken during my last telescope session.",
        "How far away is the Andromeda galaxy?",
    ],
    missing=["Book the telescope so I can look at M42."],
    unrelated=["What is the difference between a refractor and a reflector telescope?"],
)

# --------------------------------------------------------------------------- dentist
D(
    "dentist",
    [
        fn(
            "dental_appointment",
            "Book a dental appointment.",
            {
                "patient_id": S("Practice patient id."),
                "treatment": E("Treatment.", ["check_up", "hygienist", "filling", "emergency"]),
                "date": S("YYYY-MM-DD."),
            },
            ["patient_id", "treatment", "date"],
        ),
        fn(
            "treatment_balance",
            "Outstanding balance on a patient's treatment plan.",
            {"patient_id": S("Practice patient id.")},
            ["patient_id"],
        ),
    ],
    calls=[
        (
            "Book a hygienist visit for patient D-4471 on 2027-02-08.",
            [
                (
                    "dental_appointment",
                    {"patient_id": ["D-4471"], "treatment": ["hygienist"], "date": ["2027-02-08"]},
                )
            ],
        ),
        (
            "How much does patient D-1009 still owe?",
            [("treatment_balance", {"patient_id": ["D-1009"]})],
        ),
        (
            "Patient D-3300 needs an emergency appointment on 2026-12-03.",
            [
                (
                    "dental_appointment",
                    {"patient_id": ["D-3300"], "treatment": ["emergency"], "date": ["2026-12-03"]},
                )
            ],
        ),
        (
            "Balances for patients D-2001 and D-2002?",
            [
                ("treatment_balance", {"patient_id": ["D-2001"]}),
                ("treatment_balance", {"patient_id": ["D-2002"]}),
            ],
        ),
        (
            "check-up for D-8080 on 2027-06-17",
            [
                (
                    "dental_appointment",
                    {"patient_id": ["D-8080"], "treatment": ["check_up"], "date": ["2027-06-17"]},
                )
            ],
        ),
        (
            "outstanding amount for patient D-0042",
            [("treatment_balance", {"patient_id": ["D-0042"]})],
        ),
    ],
    near=[
        "Send patient D-4471's X-rays to the orthodontist.",
        "Is it normal for gums to bleed after flossing?",
    ],
    missing=["Book a filling appointment for patient D-4471."],
    unrelated=["How often should I replace my toothbrush?"],
)

# --------------------------------------------------------------------------- lost and found
D(
    "lostfound",
    [
        fn(
            "report_lost_item",
            "Report an item lost on the city's trams.",
            {
                "description": S("What the item looks like."),
                "tram_line": S("Tram line number or name."),
                "date_lost": S("YYYY-MM-DD."),
            },
            ["description", "tram_line", "date_lost"],
        ),
        fn(
            "search_found_items",
            "Search items handed in to lost property.",
            {
                "keywords": S("Words describing the item."),
                "since": S("Only items found since this date, YYYY-MM-DD."),
            },
            ["keywords"],
        ),
    ],
    calls=[
        (
            "I lost a blue umbrella on tram line 4 on 2027-01-05. Report it.",
            [
                (
                    "report_lost_item",
                    {
                        "description": ["blue umbrella", "a blue umbrella"],
                        "tram_line": ["4"],
                        "date_lost": ["2027-01-05"],
                    },
                )
            ],
        ),
        (
            "Has anyone handed in a black leather wallet?",
            [
                (
                    "search_found_items",
                    {
                        "keywords": ["black leather wallet", "leather wallet", "wallet"],
                        "since": [""],
                    },
                )
            ],
        ),
        (
            "Search lost property for green gloves found since 2027-02-01.",
            [
                (
                    "search_found_items",
                    {"keywords": ["green gloves", "gloves"], "since": ["2027-02-01"]},
                )
            ],
        ),
        (
            "Look for a silver laptop and also for a red scarf in lost property.",
            [
                ("search_found_items", {"keywords": ["silver laptop", "laptop"]}),
                ("search_found_items", {"keywords": ["red scarf", "scarf"]}),
            ],
        ),
        (
            "report: grey backpack with a cat keyring, line 11, lost 2027-03-19",
            [
                (
                    "report_lost_item",
                    {
                        "description": ["grey backpack with a cat keyring", "grey backpack"],
                        "tram_line": ["11"],
                        "date_lost": ["2027-03-19"],
                    },
                )
            ],
        ),
        (
            "any keys turned in?",
            [("search_found_items", {"keywords": ["keys", "key"], "since": [""]})],
        ),
    ],
    near=[
        "Send my found wallet to my home address.",
        "What are the tram fares for students?",
    ],
    missing=["I lost my umbrella on a tram, please report it."],
    unrelated=["What should I do first if I lose my passport abroad?"],
)

# --------------------------------------------------------------------------- camping
D(
    "camping",
    [
        fn(
            "campsite_availability",
            "Free pitches at a national-park campsite for a stay.",
            {
                "campground": S("Campground name."),
                "arrival": S("YYYY-MM-DD."),
                "nights": I("Number of nights."),
                "pitch_type": E("Pitch.", ["tent", "campervan", "hut"], default="tent"),
            },
            ["campground", "arrival", "nights"],
        ),
        fn(
            "backcountry_permit",
            "Apply for a backcountry hiking permit.",
            {
                "trail": S("Trail name."),
                "start_date": S("YYYY-MM-DD."),
                "group_size": I("People in the group."),
            },
            ["trail", "start_date", "group_size"],
        ),
    ],
    calls=[
        (
            "Any tent pitches at Glen Brittle for 3 nights from 2027-06-04?",
            [
                (
                    "campsite_availability",
                    {
                        "campground": ["Glen Brittle"],
                        "arrival": ["2027-06-04"],
                        "nights": [3],
                        "pitch_type": ["tent", ""],
                    },
                )
            ],
        ),
        (
            "Apply for a backcountry permit on the Cairngorm Plateau trail for 4 people starting 2027-07-12.",
            [
                (
                    "backcountry_permit",
                    {
                        "trail": ["Cairngorm Plateau", "Cairngorm Plateau trail"],
                        "start_date": ["2027-07-12"],
                        "group_size": [4],
                    },
                )
            ],
        ),
        (
            "Campervan spot at Loch Morlich, arriving 2027-08-01, 2 nights?",
            [
                (
                    "campsite_availability",
                    {
                        "campground": ["Loch Morlich"],
                        "arrival": ["2027-08-01"],
                        "nights": [2],
                        "pitch_type": ["campervan"],
                    },
                )
            ],
        ),
        (
            "Check huts at both Corrour and Ben Alder campgrounds for 1 night from 2027-05-30.",
            [
                (
                    "campsite_availability",
                    {
                        "campground": ["Corrour"],
                        "arrival": ["2027-05-30"],
                        "nights": [1],
                        "pitch_type": ["hut"],
                    },
                ),
                (
                    "campsite_availability",
                    {
                        "campground": ["Ben Alder"],
                        "arrival": ["2027-05-30"],
                        "nights": [1],
                        "pitch_type": ["hut"],
                    },
                ),
            ],
        ),
        (
            "permit for Knoydart Traverse, 2 of us, start 2027-09-03",
            [
                (
                    "backcountry_permit",
                    {
                        "trail": ["Knoydart Traverse"],
                        "start_date": ["2027-09-03"],
                        "group_size": [2],
                    },
                )
            ],
        ),
        (
            "Is Glen Nevis free for 5 nights starting 2027-07-20?",
            [
                (
                    "campsite_availability",
                    {
                        "campground": ["Glen Nevis"],
                        "arrival": ["2027-07-20"],
                        "nights": [5],
                        "pitch_type": ["", "tent"],
                    },
                )
            ],
        ),
    ],
    near=[
        "Rent me a two-person tent for the weekend.",
        "Are campfires allowed at Glen Brittle?",
    ],
    missing=["Apply for a backcountry permit for the Cairngorm Plateau trail."],
    unrelated=["How do I keep a tent dry in heavy rain?"],
)

# --------------------------------------------------------------------------- invoices
D(
    "invoices",
    [
        fn(
            "create_invoice",
            "Create a draft invoice for a client.",
            {
                "client": S("Client name."),
                "amount": N("Amount before tax."),
                "currency": E("Currency.", ["EUR", "GBP", "USD", "SEK"]),
                "due_in_days": I("Payment term in days.", default=30),
            },
            ["client", "amount", "currency"],
        ),
        fn(
            "overdue_invoices",
            "Invoices past their due date, optionally for one client.",
            {"client": S("Client name.")},
            [],
        ),
    ],
    calls=[
        (
            "Draft an invoice to Hallberg AB for 12500 SEK.",
            [
                (
                    "create_invoice",
                    {
                        "client": ["Hallberg AB"],
                        "amount": [12500],
                        "currency": ["SEK"],
                        "due_in_days": ["", 30],
                    },
                )
            ],
        ),
        (
            "Which invoices are overdue?",
            [("overdue_invoices", {"client": [""]})],
        ),
        (
            "Invoice Moreno Studio 840 EUR, payable in 14 days.",
            [
                (
                    "create_invoice",
                    {
                        "client": ["Moreno Studio"],
                        "amount": [840],
                        "currency": ["EUR"],
                        "due_in_days": [14],
                    },
                )
            ],
        ),
        (
            "Does Kettle & Co have any overdue invoices?",
            [("overdue_invoices", {"client": ["Kettle & Co", "Kettle and Co"]})],
        ),
        (
            "Create two invoices: 300 GBP to Brightwater Ltd and 450 GBP to Oakfield Ltd.",
            [
                (
                    "create_invoice",
                    {
                        "client": ["Brightwater Ltd"],
                        "amount": [300],
                        "currency": ["GBP"],
                        "due_in_days": ["", 30],
                    },
                ),
                (
                    "create_invoice",
                    {
                        "client": ["Oakfield Ltd"],
                        "amount": [450],
                        "currency": ["GBP"],
                        "due_in_days": ["", 30],
                    },
                ),
            ],
        ),
        (
            "bill Northwind Labs 2,000 USD",
            [
                (
                    "create_invoice",
                    {
                        "client": ["Northwind Labs"],
                        "amount": [2000],
                        "currency": ["USD"],
                        "due_in_days": ["", 30],
                    },
                )
            ],
        ),
    ],
    near=[
        "Send a payment reminder email to Kettle & Co.",
        "What is our total revenue this quarter?",
    ],
    missing=["Draft an invoice for Hallberg AB."],
    unrelated=["Should a freelancer charge by the hour or by the project?"],
)

# --------------------------------------------------------------------------- greenhouse
D(
    "greenhouse",
    [
        fn(
            "greenhouse_climate",
            "Current temperature and humidity in a greenhouse zone.",
            {"zone": S("Zone name, e.g. 'propagation'.")},
            ["zone"],
        ),
        fn(
            "set_vent_opening",
            "Open the roof vents of a greenhouse zone to a percentage.",
            {"zone": S("Zone name."), "percent_open": I("0 closed to 100 fully open.")},
            ["zone", "percent_open"],
        ),
    ],
    calls=[
        (
            "How humid is the propagation zone right now?",
            [("greenhouse_climate", {"zone": ["propagation"]})],
        ),
        (
            "Open the tomato house vents to 40%.",
            [("set_vent_opening", {"zone": ["tomato house", "tomato"], "percent_open": [40]})],
        ),
        (
            "Close the vents in the orchid zone completely.",
            [("set_vent_opening", {"zone": ["orchid", "orchid zone"], "percent_open": [0]})],
        ),
        (
            "Temperatures in the cactus and fern zones?",
            [
                ("greenhouse_climate", {"zone": ["cactus"]}),
                ("greenhouse_climate", {"zone": ["fern"]}),
            ],
        ),
        (
            "vents fully open in propagation",
            [("set_vent_opening", {"zone": ["propagation"], "percent_open": [100]})],
        ),
        (
            "is it too hot in the seedling zone",
            [("greenhouse_climate", {"zone": ["seedling", "seedling zone"]})],
        ),
    ],
    near=[
        "Water the tomato house for 10 minutes.",
        "Order more peat-free compost.",
    ],
    missing=["Open the vents to 40%."],
    unrelated=["Why do tomato leaves curl in hot weather?"],
)

# --------------------------------------------------------------------------- train platforms
D(
    "platforms",
    [
        fn(
            "train_platform",
            "Platform and expected departure of a train from a station.",
            {"train_number": S("Train or service number."), "station": S("Station name.")},
            ["train_number", "station"],
        ),
        fn(
            "station_departures_board",
            "Next departures from a station.",
            {
                "station": S("Station name."),
                "destination": S("Only trains calling at this station."),
                "count": I("Number of departures.", default=10),
            },
            ["station"],
        ),
    ],
    calls=[
        (
            "Which platform does train ICE 578 leave from at Frankfurt Hbf?",
            [
                (
                    "train_platform",
                    {
                        "train_number": ["ICE 578", "ICE578"],
                        "station": ["Frankfurt Hbf", "Frankfurt"],
                    },
                )
            ],
        ),
        (
            "Next trains from Utrecht Centraal to Amersfoort?",
            [
                (
                    "station_departures_board",
                    {"station": ["Utrecht Centraal"], "destination": ["Amersfoort"]},
                )
            ],
        ),
        (
            "Show me the next 4 departures from Basel SBB.",
            [
                (
                    "station_departures_board",
                    {"station": ["Basel SBB"], "count": [4], "destination": [""]},
                )
            ],
        ),
        (
            "Platforms for IC 1521 and IC 1523 at Zwolle?",
            [
                ("train_platform", {"train_number": ["IC 1521", "IC1521"], "station": ["Zwolle"]}),
                ("train_platform", {"train_number": ["IC 1523", "IC1523"], "station": ["Zwolle"]}),
            ],
        ),
        (
            "departures board Lyon Part-Dieu",
            [("station_departures_board", {"station": ["Lyon Part-Dieu"], "destination": [""]})],
        ),
        (
            "what platform is the 9423 at Milano Centrale",
            [("train_platform", {"train_number": ["9423"], "station": ["Milano Centrale"]})],
        ),
    ],
    near=[
        "Book a seat on ICE 578 tomorrow.",
        "Is there step-free access at Zwolle station?",
    ],
    missing=["Which platform does ICE 578 leave from?"],
    unrelated=["Why are European trains often faster than buses over 300 km?"],
)

# --------------------------------------------------------------------------- tool library (tool hire)
D(
    "toolhire",
    [
        fn(
            "reserve_hire_tool",
            "Reserve an item from the community tool library.",
            {
                "item": S("Item name, e.g. 'pressure washer'."),
                "pickup_date": S("YYYY-MM-DD."),
                "days": I("Days to borrow.", default=2),
            },
            ["item", "pickup_date"],
        ),
        fn(
            "hire_tool_availability",
            "Whether an item is in stock at the tool library.",
            {"item": S("Item name.")},
            ["item"],
        ),
    ],
    calls=[
        (
            "Is the tile cutter available at the tool library?",
            [("hire_tool_availability", {"item": ["tile cutter"]})],
        ),
        (
            "Reserve the pressure washer for pickup on 2027-04-17.",
            [
                (
                    "reserve_hire_tool",
                    {"item": ["pressure washer"], "pickup_date": ["2027-04-17"], "days": ["", 2]},
                )
            ],
        ),
        (
            "Borrow a hedge trimmer from 2027-05-01 for 4 days.",
            [
                (
                    "reserve_hire_tool",
                    {"item": ["hedge trimmer"], "pickup_date": ["2027-05-01"], "days": [4]},
                )
            ],
        ),
        (
            "Are the carpet cleaner and the wallpaper steamer in stock?",
            [
                ("hire_tool_availability", {"item": ["carpet cleaner"]}),
                ("hire_tool_availability", {"item": ["wallpaper steamer"]}),
            ],
        ),
        (
            "ladder available?",
            [("hire_tool_availability", {"item": ["ladder"]})],
        ),
        (
            "reserve the cement mixer, pickup 2027-06-09, one week",
            [
                (
                    "reserve_hire_tool",
                    {"item": ["cement mixer"], "pickup_date": ["2027-06-09"], "days": [7]},
                )
            ],
        ),
    ],
    near=[
        "How do I use a tile cutter safely?",
        "Extend my membership of the tool library by a year.",
    ],
    missing=["Reserve the pressure washer for me."],
    unrelated=["What's the difference between a drill and an impact driver?"],
)

# --------------------------------------------------------------------------- choir
D(
    "choir",
    [
        fn(
            "choir_attendance",
            "Mark a singer present or absent at a choir rehearsal.",
            {
                "singer": S("Singer's name."),
                "rehearsal_date": S("YYYY-MM-DD."),
                "present": B("True if present."),
            },
            ["singer", "rehearsal_date", "present"],
        ),
        fn(
            "sheet_music_lookup",
            "Find which folder and shelf hold the choir's copies of a piece.",
            {
                "title": S("Title of the piece."),
                "voice_part": E("Part.", ["soprano", "alto", "tenor", "bass"]),
            },
            ["title"],
        ),
    ],
    calls=[
        (
            "Mark Harriet absent from rehearsal on 2027-01-13.",
            [
                (
                    "choir_attendance",
                    {"singer": ["Harriet"], "rehearsal_date": ["2027-01-13"], "present": [False]},
                )
            ],
        ),
        (
            "Where are the tenor copies of Zadok the Priest?",
            [("sheet_music_lookup", {"title": ["Zadok the Priest"], "voice_part": ["tenor"]})],
        ),
        (
            "Find our sheet music for Spem in alium.",
            [("sheet_music_lookup", {"title": ["Spem in alium"], "voice_part": [""]})],
        ),
        (
            "Both Omar and Keiko were at rehearsal on 2027-02-24.",
            [
                (
                    "choir_attendance",
                    {"singer": ["Omar"], "rehearsal_date": ["2027-02-24"], "present": [True]},
                ),
                (
                    "choir_attendance",
                    {"singer": ["Keiko"], "rehearsal_date": ["2027-02-24"], "present": [True]},
                ),
            ],
        ),
        (
            "alto part for Miserere, which shelf?",
            [("sheet_music_lookup", {"title": ["Miserere"], "voice_part": ["alto"]})],
        ),
        (
            "Dmitri came to rehearsal on 2027-03-03, tick him off",
            [
                (
                    "choir_attendance",
                    {"singer": ["Dmitri"], "rehearsal_date": ["2027-03-03"], "present": [True]},
                )
            ],
        ),
    ],
    near=[
        "Transpose Zadok the Priest down a tone.",
        "Email the sopranos about Friday's concert.",
    ],
    missing=["Mark Harriet absent from rehearsal."],
    unrelated=["How can I stop my voice cracking on high notes?"],
)
