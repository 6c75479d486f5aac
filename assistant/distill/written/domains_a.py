"""Hand-written services (see ``assistant/distill/written/__init__.py``): set A."""

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

DOG = Param(
    "dog_name", "string", "The dog's name.", words("Biscuit", "Rolo", "Maple", "Juno", "Otis")
)
BOOKING = Param(
    "booking_ref", "string", "Boarding booking reference, e.g. 'KB-4821'.", code("KB-####")
)

DOMAINS: list[Domain] = [
    Domain(
        "kennels",
        "dog boarding stays",
        (
            Action(
                "book_boarding_stay",
                "Book overnight boarding for a dog at the kennels.",
                (
                    DOG,
                    Param("arrival", "string", "Arrival date as YYYY-MM-DD.", date),
                    Param("nights", "integer", "Number of nights.", count(2, 14)),
                    Param(
                        "grooming",
                        "boolean",
                        "Add a bath and groom before pick-up.",
                        YES,
                        say=(" Add a groom before pick-up.", " And give her a bath at the end."),
                    ),
                    Param(
                        "diet",
                        "string",
                        "Food plan.",
                        words("own food", "kennel food"),
                        enum=("own food", "kennel food"),
                        say=(" We'll bring {v}.", " Diet: {v}."),
                    ),
                ),
                (
                    "Book {dog_name} in for {nights} nights from {arrival}.",
                    "Can {dog_name} board with you? Arriving {arrival}, {nights} nights.",
                    "{nights} nights of boarding for {dog_name}, starting {arrival}",
                ),
                {"booking_ref": ("KB-1187", "KB-2290", "KB-5032"), "price_eur": (84, 126, 210)},
                "{dog_name} is booked from {arrival} for {nights} nights: reference {booking_ref}, {price_eur} EUR.",
                "book boarding stays",
                missing=(
                    ("Book Rolo in for a few nights.", "From which date, and for how many nights?"),
                    ("Board my dog for 3 nights from 2027-02-01.", "What is your dog's name?"),
                ),
            ),
            Action(
                "boarding_report",
                "The daily report of a dog's current boarding stay, by booking reference.",
                (BOOKING,),
                (
                    "How is the dog on booking {booking_ref} getting on?",
                    "Any news on {booking_ref}?",
                    "daily report for stay {booking_ref}",
                ),
                {
                    "eating": ("well", "a little less than usual"),
                    "mood": ("playful", "calm", "sleepy"),
                },
                "Stay {booking_ref}: eating {eating}, {mood}.",
                "read a stay's daily report",
                missing=(
                    (
                        "How is my dog doing at the kennels?",
                        "What is the booking reference of the stay?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can you pick my dog up from home on Friday?", "arrange a pick-up from home"),
            ("How much does a puppy training class cost?", "price training classes"),
        ),
    ),
    Domain(
        "allotments",
        "allotment garden plots",
        (
            Action(
                "apply_for_allotment",
                "Join the waiting list for an allotment plot at a council site.",
                (
                    Param(
                        "applicant_name",
                        "string",
                        "Full name of the applicant.",
                        words("Priya Shah", "Tom O'Neill", "Greta Lindqvist", "Kwame Mensah"),
                    ),
                    Param(
                        "site",
                        "string",
                        "Allotment site name, e.g. 'Mill Lane'.",
                        words("Mill Lane", "Riverside Gardens", "Hollins Road", "Plot Row 2 East"),
                    ),
                    Param(
                        "plot_size",
                        "string",
                        "Plot size wanted.",
                        (
                            ("full", "a full plot"),
                            ("half", "a half plot"),
                            ("full", "a full-size plot"),
                            ("half", "half a plot"),
                        ),
                        enum=("full", "half"),
                    ),
                    Param(
                        "raised_beds",
                        "boolean",
                        "Applicant needs raised beds (accessible plot).",
                        YES,
                        say=(
                            " I'd need raised beds, please.",
                            " It has to have raised beds, I can't kneel.",
                        ),
                    ),
                ),
                (
                    "I'd like to apply for {plot_size} at {site}. My name is {applicant_name}.",
                    "Put {applicant_name} on the waiting list for {plot_size} at {site}, please.",
                    "allotment application: {applicant_name}, {site}, {plot_size}",
                    "Can {applicant_name} get {plot_size} at {site}?",
                    "{site} - {plot_size} - for {applicant_name}",
                ),
                {
                    "waitlist_position": (3, 12, 27),
                    "application_id": ("AL-3391", "AL-4107", "AL-5520"),
                },
                "{applicant_name} is number {waitlist_position} on the {site} list, application {application_id}.",
                "join the allotment waiting list",
                missing=(
                    (
                        "Please add me to the allotment waiting list at Mill Lane for a half plot.",
                        "What name should the application be under?",
                    ),
                    (
                        "I'd like a full plot on the allotments, my name is Tom O'Neill.",
                        "Which allotment site would you like?",
                    ),
                ),
            ),
            Action(
                "allotment_plot_status",
                "Condition rating and rent status of an allotment plot, by plot id.",
                (
                    Param(
                        "plot_id",
                        "string",
                        "Plot id, site letters then number, e.g. 'ML-14'.",
                        code("@@-##"),
                    ),
                    Param(
                        "inspection_month",
                        "string",
                        "Inspection month as YYYY-MM; latest if omitted.",
                        month,
                        say=(" For the {v} inspection.", " I mean the inspection in {v}."),
                    ),
                ),
                (
                    "How did plot {plot_id} do at inspection?",
                    "{plot_id} status?",
                    "Is the rent paid on {plot_id}, and what shape is it in?",
                    "what's the condition of allotment {plot_id} at the moment",
                ),
                {
                    "condition": ("well kept", "overgrown", "partly cultivated"),
                    "rent": ("paid", "overdue"),
                },
                "Plot {plot_id} was rated {condition}; rent is {rent}.",
                "check a plot's condition and rent",
                missing=(
                    (
                        "How's my allotment plot looking after the inspection?",
                        "What is the plot id?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can someone deliver a load of manure to my plot?", "arrange manure deliveries"),
            ("Swap my allotment for the one next to my friend's.", "swap plots between tenants"),
        ),
    ),
    Domain(
        "poollanes",
        "swimming pool lane bookings",
        (
            Action(
                "book_pool_lane",
                "Book a lane at the community swimming pool.",
                (
                    Param("lane", "integer", "Lane number, 1-8.", count(1, 8)),
                    Param("swim_date", "string", "Date as YYYY-MM-DD.", date),
                    Param("start_time", "string", "Start time as HH:MM (24h).", clock),
                    Param(
                        "minutes",
                        "integer",
                        "Session length in minutes; default 45.",
                        ((30, "30"), (45, "45"), (60, "60")),
                        say=(" For {v} minutes.", " I'll need it for {v} minutes."),
                    ),
                ),
                (
                    "Please book lane {lane} on {swim_date} at {start_time}.",
                    "lane {lane} {swim_date} {start_time}?",
                    "Could I have lane {lane} for a swim at {start_time} on {swim_date}?",
                    "{swim_date}, {start_time}, lane {lane} - book it",
                    "reserve me lane {lane} at the pool, {start_time} on {swim_date}",
                ),
                {"booking_code": ("SW-2231", "SW-7702", "SW-4185"), "price_gbp": (4.5, 6, 7.25)},
                "Lane {lane} is yours on {swim_date} at {start_time}: code {booking_code}, £{price_gbp}.",
                "book pool lanes",
                missing=(
                    ("Book me a pool lane tomorrow at 7am.", "Which lane number would you like?"),
                    (
                        "Can I get lane 4 at the pool on Saturday?",
                        "What time would you like to start?",
                    ),
                ),
            ),
            Action(
                "pool_busyness",
                "How busy a pool is and how many lanes are free, by pool name.",
                (
                    Param(
                        "pool",
                        "string",
                        "Pool name.",
                        words(
                            "Castle Baths",
                            "Westgate Leisure Centre",
                            "Hillside Lido",
                            "Pool 2 Northgate",
                        ),
                    ),
                    Param(
                        "at_time",
                        "string",
                        "Time of day as HH:MM; now if omitted.",
                        clock,
                        say=(" Around {v}.", " I'm thinking of going at {v}."),
                    ),
                ),
                (
                    "How busy is {pool}?",
                    "Are there free lanes at {pool}?",
                    "{pool} - packed or quiet?",
                    "is {pool} rammed right now",
                ),
                {"busy": ("quiet", "moderately busy", "very busy"), "free_lanes": (0, 2, 5)},
                "{pool} is {busy}, with {free_lanes} free lanes.",
                "check how busy a pool is",
                missing=(("How busy is the swimming pool right now?", "Which pool do you mean?"),),
            ),
        ),
        cannot=(
            ("Sign my daughter up for swimming lessons.", "enrol children in swimming lessons"),
            (
                "I left my goggles in the changing room, has anyone found them?",
                "trace items left at the pool",
            ),
        ),
    ),
    Domain(
        "pianotuning",
        "piano tuning visits",
        (
            Action(
                "book_piano_tuning",
                "Book a tuner to visit a piano at a postcode.",
                (
                    Param(
                        "postcode",
                        "string",
                        "UK postcode with the space, e.g. 'BS6 5QT'.",
                        code("@@# #@@"),
                    ),
                    Param("visit_date", "string", "Visit date as YYYY-MM-DD.", date),
                    Param(
                        "piano_type",
                        "string",
                        "Kind of piano.",
                        (
                            ("upright", "an upright"),
                            ("grand", "a grand piano"),
                            ("upright", "an upright piano"),
                            ("grand", "a baby grand"),
                        ),
                        enum=("upright", "grand"),
                    ),
                    Param(
                        "pitch_raise",
                        "boolean",
                        "Include a pitch raise for a long-untuned piano.",
                        YES,
                        say=(
                            " It hasn't been tuned in years, so it'll need a pitch raise.",
                            " Please include a pitch raise.",
                        ),
                    ),
                ),
                (
                    "Could a tuner come to {postcode} on {visit_date}? It's {piano_type}.",
                    "I need {piano_type} tuned at {postcode}, {visit_date} if possible.",
                    "tuning for {piano_type}, {postcode}, {visit_date}",
                    "{visit_date} works for me - {piano_type} at {postcode} needs tuning.",
                    "book a piano tuning: {postcode} {visit_date}, {piano_type}",
                ),
                {
                    "tuner": ("Ines Marlow", "Dev Patel", "Hugo Brandt"),
                    "arrival_window": ("09:00-11:00", "13:00-15:00"),
                },
                "{tuner} will tune the piano at {postcode} on {visit_date}, arriving {arrival_window}.",
                "book piano tunings",
                missing=(
                    (
                        "Can a piano tuner come round next Tuesday? It's an upright.",
                        "What is the postcode of the address?",
                    ),
                    (
                        "Please book a tuning for my grand piano at BS6 5QT.",
                        "Which date would suit you?",
                    ),
                ),
            ),
            Action(
                "piano_tuning_history",
                "When a customer's piano was last tuned and to what pitch, by phone number.",
                (
                    Param(
                        "customer_phone",
                        "string",
                        "Customer phone number as on file, e.g. '07700 900123'.",
                        code("07### ######"),
                    ),
                    Param(
                        "include_repairs",
                        "boolean",
                        "Also list repairs done.",
                        YES,
                        say=(" Include any repairs too.", " And the repairs, please."),
                    ),
                ),
                (
                    "When was my piano last tuned? My number is {customer_phone}.",
                    "tuning history for {customer_phone}",
                    "{customer_phone} - when did you last come out?",
                    "Can you look up the last visit for {customer_phone}?",
                ),
                {
                    "last_tuned": ("2025-03-14", "2024-11-02", "2023-06-20"),
                    "pitch_hz": (440, 442, 438),
                },
                "The piano for {customer_phone} was last tuned on {last_tuned}, to A={pitch_hz} Hz.",
                "look up past tunings",
                missing=(
                    (
                        "When did your tuner last do my piano?",
                        "What phone number is your account under?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Can you move my piano to the upstairs flat?", "move pianos"),
            ("What would you pay me for my old upright?", "buy second-hand pianos"),
        ),
    ),
    Domain(
        "escooters",
        "e-scooter fleet",
        (
            Action(
                "report_scooter_fault",
                "Report a fault on a hire e-scooter.",
                (
                    Param(
                        "scooter_id",
                        "string",
                        "Scooter id printed on the stem, e.g. 'ES-40912'.",
                        code("ES-#####"),
                    ),
                    Param(
                        "fault",
                        "string",
                        "What is broken.",
                        (
                            ("brakes", "the brakes"),
                            ("battery", "the battery"),
                            ("lights", "the lights"),
                            ("kickstand", "the kickstand"),
                            ("brakes", "brake"),
                        ),
                        enum=("brakes", "battery", "lights", "kickstand"),
                    ),
                    Param(
                        "location",
                        "string",
                        "Street where the scooter is parked.",
                        words("Station Road", "Market Square", "Elm Park Gate 3"),
                        say=(" It's parked on {v}.", " Left at {v}."),
                    ),
                ),
                (
                    "Problem with {fault} on scooter {scooter_id}.",
                    "{scooter_id}: {fault} not working",
                    "Hi, I want to report a problem with {fault} on {scooter_id}.",
                    "the scooter {scooter_id} has an issue with {fault}",
                    "report a fault - {fault}, {scooter_id}",
                ),
                {"ticket": ("FX-1021", "FX-3340", "FX-8812"), "ride_credit_eur": (1, 2, 5)},
                "Fault ticket {ticket} is open for {scooter_id}; we've added {ride_credit_eur} EUR ride credit.",
                "report scooter faults",
                missing=(
                    (
                        "The brakes on my e-scooter are gone, please report it.",
                        "What is the scooter's id?",
                    ),
                    ("Scooter ES-40912 is faulty.", "What is wrong with it?"),
                ),
            ),
            Action(
                "scooters_near",
                "Available scooters near a street, with the nearest one's distance.",
                (
                    Param(
                        "street",
                        "string",
                        "Street or square name.",
                        words("Station Road", "Market Square", "Elm Park Gate 3", "Queen's Parade"),
                    ),
                    Param(
                        "min_battery",
                        "integer",
                        "Minimum battery percentage, 0-100.",
                        count(20, 90, words=False),
                        say=(
                            " Only ones with at least {v}% battery.",
                            " Needs {v}% charge or more.",
                        ),
                    ),
                ),
                (
                    "Any scooters near {street}?",
                    "what's free around {street}",
                    "I'm on {street}, is there anything I can ride?",
                    "{street} - how far is the nearest one?",
                ),
                {"available": (0, 3, 7), "nearest_m": (40, 150, 320)},
                "There are {available} scooters near {street}; the nearest is {nearest_m} m away.",
                "find scooters nearby",
                missing=(("Are there any e-scooters near me?", "Which street are you on?"),),
            ),
        ),
        cannot=(
            ("Refund my ride from yesterday, it cut out.", "refund rides"),
            ("Upgrade me to the monthly unlimited plan.", "change subscription plans"),
        ),
    ),
    Domain(
        "bulkywaste",
        "bulky-waste collections",
        (
            Action(
                "book_bulky_collection",
                "Book a bulky-waste collection from a household.",
                (
                    Param(
                        "postcode",
                        "string",
                        "Postcode with the space, e.g. 'LS12 4AB'.",
                        code("@@## #@@"),
                    ),
                    Param("items", "integer", "Number of bulky items, up to 6.", count(2, 6)),
                    Param("collection_date", "string", "Collection date as YYYY-MM-DD.", date),
                    Param(
                        "fridge",
                        "boolean",
                        "One item is a fridge or freezer (extra handling).",
                        YES,
                        say=(" One of them is a fridge.", " There's a fridge freezer among them."),
                    ),
                ),
                (
                    "Please collect {items} bulky items from {postcode} on {collection_date}.",
                    "bulky pickup {postcode}, {items} items, {collection_date}",
                    "Can you take away {items} big items on {collection_date}? Postcode {postcode}.",
                    "{collection_date}: {items} items to go from {postcode}",
                    "I've got {items} bulky items at {postcode}, can you collect on {collection_date}?",
                ),
                {"collection_ref": ("BW-6614", "BW-2093", "BW-7350"), "fee_gbp": (25, 38, 52)},
                "{items} items will be collected from {postcode} on {collection_date}: ref {collection_ref}, fee £{fee_gbp}.",
                "book bulky-waste collections",
                missing=(
                    (
                        "Book a bulky-waste collection of 3 items on 2027-01-12.",
                        "What is the postcode?",
                    ),
                    (
                        "Can you collect an old sofa and two chairs from LS12 4AB?",
                        "Which date should we collect them?",
                    ),
                ),
            ),
            Action(
                "recycling_centre_hours",
                "Opening hours of a household recycling centre, by name.",
                (
                    Param(
                        "centre",
                        "string",
                        "Recycling centre name.",
                        words("Ashdown Road", "Canal Street", "Northfield", "Unit 4 Brook Way"),
                    ),
                    Param(
                        "on_date",
                        "string",
                        "Date as YYYY-MM-DD; today if omitted.",
                        date,
                        say=(" On {v}.", " I'm going on {v}."),
                    ),
                ),
                (
                    "When is {centre} open?",
                    "{centre} opening hours?",
                    "what time does the tip at {centre} shut",
                    "Is {centre} open, and until when?",
                ),
                {"opens": ("08:00", "09:00"), "closes": ("16:00", "18:00", "20:00")},
                "{centre} is open from {opens} to {closes}.",
                "give recycling centre hours",
                missing=(
                    ("What time does the recycling centre close?", "Which recycling centre?"),
                ),
            ),
        ),
        cannot=(
            ("Can you empty my green bin early this week?", "change regular bin rounds"),
            (
                "Someone dumped a mattress in the alley, please fine them.",
                "issue fly-tipping fines",
            ),
        ),
    ),
    Domain(
        "housekeeping",
        "hotel housekeeping",
        (
            Action(
                "request_housekeeping",
                "Send housekeeping to a guest room for a service.",
                (
                    Param("room", "string", "Room number, e.g. '412'.", code("###")),
                    Param(
                        "service",
                        "string",
                        "What the guest needs.",
                        (
                            ("towels", "fresh towels"),
                            ("full clean", "a full clean"),
                            ("turndown", "turndown"),
                            ("pillows", "extra pillows"),
                            ("towels", "towels"),
                        ),
                        enum=("towels", "full clean", "turndown", "pillows"),
                    ),
                    Param(
                        "after_time",
                        "string",
                        "Earliest time to come, HH:MM.",
                        clock,
                        say=(" Any time after {v}.", " Not before {v}, please."),
                    ),
                ),
                (
                    "Could we have {service} in room {room}, please?",
                    "room {room} needs {service}",
                    "{service} for {room} pls",
                    "Hi, this is room {room}. Can someone bring {service}?",
                    "Please send {service} up to {room}.",
                ),
                {"attendant": ("Marta", "Joseph", "Aiko"), "eta_minutes": (10, 20, 45)},
                "{attendant} will see to room {room} ({service}) in about {eta_minutes} minutes.",
                "send housekeeping",
                missing=(
                    ("Can housekeeping bring us fresh towels?", "What is your room number?"),
                    ("Room 412 needs housekeeping.", "What would you like housekeeping to do?"),
                ),
            ),
            Action(
                "room_cleaning_status",
                "Whether a room has been cleaned today, and the last visit time.",
                (
                    Param("room", "string", "Room number, e.g. '412'.", code("###")),
                    Param(
                        "include_minibar",
                        "boolean",
                        "Also report the minibar check.",
                        YES,
                        say=(" Include the minibar check too.", " And was the minibar restocked?"),
                    ),
                ),
                (
                    "Has room {room} been done yet?",
                    "status of {room}?",
                    "Is {room} clean?",
                    "when did someone last go into room {room}",
                ),
                {
                    "state": ("cleaned", "in progress", "not started"),
                    "last_visit": ("08:40", "11:15", "14:05"),
                },
                "Room {room}: {state}, last visit at {last_visit}.",
                "check a room's cleaning status",
                missing=(("Has housekeeping cleaned my room yet?", "What is the room number?"),),
            ),
        ),
        cannot=(
            ("Can I get a late checkout tomorrow?", "change checkout times"),
            ("Send a bottle of champagne up to my room.", "order room service"),
            ("I'd like to swap to a room with a sea view.", "change rooms"),
        ),
    ),
    Domain(
        "boxoffice",
        "theatre box office",
        (
            Action(
                "buy_theatre_tickets",
                "Buy seats for a performance of a show.",
                (
                    Param(
                        "show",
                        "string",
                        "Show title.",
                        words(
                            "42nd Street", "The Cherry Orchard", "A Little Night Music", "Matilda"
                        ),
                    ),
                    Param("performance_date", "string", "Performance date as YYYY-MM-DD.", date),
                    Param("seats", "integer", "Number of seats, 1-8.", count(2, 8)),
                    Param(
                        "section",
                        "string",
                        "Seating section.",
                        words("stalls", "circle", "balcony"),
                        enum=("stalls", "circle", "balcony"),
                        say=(" In the {v}.", " Seats in the {v} if possible."),
                    ),
                    Param(
                        "wheelchair",
                        "boolean",
                        "One seat is a wheelchair space.",
                        YES,
                        say=(" One of us uses a wheelchair.",),
                    ),
                ),
                (
                    "{seats} tickets for {show} on {performance_date}, please.",
                    "Can I buy {seats} seats for {show}, the {performance_date} performance?",
                    "{show} {performance_date} x{seats}",
                    "I'd like to book {seats} for {show} on {performance_date}.",
                    "we want to see {show} on {performance_date}, {seats} of us",
                ),
                {"order_no": ("BO-55102", "BO-60871", "BO-73315"), "total_gbp": (48, 96.5, 132)},
                "{seats} seats for {show} on {performance_date}: order {order_no}, total £{total_gbp}.",
                "sell theatre tickets",
                missing=(
                    ("Two tickets for Matilda, please.", "Which performance date would you like?"),
                    (
                        "Book me 4 seats for the theatre on 2026-11-20.",
                        "Which show would you like to see?",
                    ),
                ),
            ),
            Action(
                "show_availability",
                "Seats left for a show and the cheapest price.",
                (
                    Param(
                        "show",
                        "string",
                        "Show title.",
                        words(
                            "42nd Street", "The Cherry Orchard", "A Little Night Music", "Matilda"
                        ),
                    ),
                    Param(
                        "on_date",
                        "string",
                        "Performance date as YYYY-MM-DD; next one if omitted.",
                        date,
                        say=(" On {v}.", " For the {v} show."),
                    ),
                ),
                (
                    "Are there seats left for {show}?",
                    "{show} - anything available?",
                    "how much is {show} and is it sold out",
                    "Is {show} still selling?",
                ),
                {"seats_left": (0, 14, 86), "cheapest_gbp": (18, 25, 32)},
                "{show} has {seats_left} seats left, from £{cheapest_gbp}.",
                "check seat availability",
                missing=(
                    ("Are there any theatre seats left this week?", "Which show do you mean?"),
                ),
            ),
        ),
        cannot=(
            ("Can I exchange my tickets for a different night?", "exchange tickets"),
            ("Who plays the lead in tonight's show?", "give cast information"),
        ),
    ),
    Domain(
        "drivingschool",
        "driving lessons",
        (
            Action(
                "book_driving_lesson",
                "Book a driving lesson for an enrolled pupil.",
                (
                    Param("pupil_id", "string", "Pupil number, e.g. 'DL-2087'.", code("DL-####")),
                    Param("lesson_date", "string", "Lesson date as YYYY-MM-DD.", date),
                    Param("start_time", "string", "Start time as HH:MM.", clock),
                    Param(
                        "gearbox",
                        "string",
                        "Car gearbox; pupil's usual if omitted.",
                        (
                            ("manual", "a manual"),
                            ("automatic", "an automatic"),
                            ("automatic", "an auto"),
                        ),
                        enum=("manual", "automatic"),
                        say=(" In {v}, please.", " I'm learning in {v}."),
                    ),
                ),
                (
                    "Book a lesson for {pupil_id} on {lesson_date} at {start_time}.",
                    "lesson {lesson_date} {start_time}, pupil {pupil_id}",
                    "Can I have a driving lesson at {start_time} on {lesson_date}? I'm {pupil_id}.",
                    "{pupil_id} wants {lesson_date} at {start_time}",
                ),
                {
                    "instructor": ("Sam Okafor", "Lena Fischer", "Raj Mehta"),
                    "meeting_point": ("your home address", "the test centre car park"),
                },
                "{pupil_id}: lesson on {lesson_date} at {start_time} with {instructor}, meeting at {meeting_point}.",
                "book driving lessons",
                missing=(
                    ("Book me a driving lesson on Friday at 4pm.", "What is your pupil number?"),
                    ("Driving lesson for DL-2087 at 10:00, please.", "Which date would you like?"),
                ),
            ),
            Action(
                "pupil_progress",
                "A pupil's lesson count and whether the instructor thinks they are test-ready.",
                (Param("pupil_id", "string", "Pupil number, e.g. 'DL-2087'.", code("DL-####")),),
                (
                    "How is {pupil_id} getting on?",
                    "Is {pupil_id} ready for the test yet?",
                    "progress for {pupil_id}",
                    "how many lessons has {pupil_id} had",
                ),
                {"lessons_taken": (6, 14, 23), "test_ready": ("yes", "not yet")},
                "{pupil_id} has had {lessons_taken} lessons; test ready: {test_ready}.",
                "report pupil progress",
                missing=(("Am I ready for my driving test?", "What is your pupil number?"),),
            ),
        ),
        cannot=(
            ("Book my practical test at the DVSA centre.", "book the official driving test"),
            ("Can I buy the car I've been learning in?", "sell cars"),
        ),
    ),
    Domain(
        "visitorpasses",
        "office visitor passes and badges",
        (
            Action(
                "issue_visitor_pass",
                "Issue a day pass for a visitor to the office.",
                (
                    Param(
                        "visitor_name",
                        "string",
                        "Visitor's full name.",
                        words("Anna Kowalska", "James Whitfield", "Li Wei", "Fatima Noor"),
                    ),
                    Param("visit_date", "string", "Visit date as YYYY-MM-DD.", date),
                    Param(
                        "parking",
                        "boolean",
                        "Reserve a visitor parking space.",
                        YES,
                        say=(" They'll need a parking space.", " Book them a car park space too."),
                    ),
                    Param(
                        "meeting_room",
                        "string",
                        "Meeting room code, e.g. 'MR-3B'.",
                        code("MR-#@"),
                        say=(" They're meeting in {v}.", " Room {v}."),
                    ),
                ),
                (
                    "Please set up a visitor pass for {visitor_name} on {visit_date}.",
                    "{visitor_name} is coming in {visit_date}, can you sort a badge?",
                    "visitor: {visitor_name}, {visit_date}",
                    "I have a guest, {visitor_name}, visiting on {visit_date}.",
                    "pass for {visitor_name} {visit_date} please",
                ),
                {"badge_no": ("V-0412", "V-1180", "V-2267"), "reception": ("Tower A", "Tower B")},
                "{visitor_name}'s pass for {visit_date} is badge {badge_no}; collect it at {reception} reception.",
                "issue visitor passes",
                missing=(
                    ("I need a visitor pass for tomorrow.", "What is the visitor's name?"),
                    ("Can you make a visitor badge for Li Wei?", "Which date is the visit?"),
                ),
            ),
            Action(
                "badge_access_log",
                "Door swipes for a staff badge: count and the last door used.",
                (
                    Param(
                        "badge_id", "string", "Staff badge id, e.g. 'EMP-30417'.", code("EMP-#####")
                    ),
                    Param(
                        "day",
                        "string",
                        "Day as YYYY-MM-DD; today if omitted.",
                        date,
                        say=(" On {v}.", " For {v}."),
                    ),
                ),
                (
                    "Where has badge {badge_id} been used?",
                    "swipes for {badge_id}?",
                    "Which door did {badge_id} last go through?",
                    "{badge_id} access history",
                ),
                {
                    "swipes": (2, 7, 15),
                    "last_door": ("main entrance", "floor 3 east", "car park gate"),
                },
                "Badge {badge_id} swiped {swipes} times, last at {last_door}.",
                "read a badge's door log",
                missing=(("Show me the door swipes for my badge today.", "What is the badge id?"),),
            ),
        ),
        cannot=(
            ("My badge stopped working, can you print a new one?", "reprint staff badges"),
            ("Give the contractor access to the server room.", "change door permissions"),
        ),
    ),
    Domain(
        "roastery",
        "coffee roastery wholesale orders",
        (
            Action(
                "place_wholesale_order",
                "Order roasted coffee for a wholesale account, in kilograms.",
                (
                    Param(
                        "account",
                        "string",
                        "Wholesale account code, e.g. 'CR-118'.",
                        code("CR-###"),
                    ),
                    Param(
                        "blend",
                        "string",
                        "Coffee name as on the price list.",
                        words(
                            "House Espresso",
                            "Ethiopia Yirgacheffe",
                            "Decaf Colombia",
                            "Night Shift",
                        ),
                    ),
                    Param("kilograms", "integer", "Weight in kg, 2-40.", count(2, 40, words=False)),
                    Param(
                        "grind",
                        "string",
                        "Grind; whole bean if omitted.",
                        (
                            ("whole bean", "whole bean"),
                            ("espresso", "espresso grind"),
                            ("filter", "filter grind"),
                        ),
                        enum=("whole bean", "espresso", "filter"),
                        say=(" Make it {v}, please.", " Grind: {v}."),
                    ),
                    Param(
                        "deliver_by",
                        "string",
                        "Latest delivery date as YYYY-MM-DD.",
                        date,
                        say=(" Deliver by {v}.", " We need it by {v}."),
                    ),
                ),
                (
                    "Account {account}: {kilograms} kg of {blend}, please.",
                    "Can we order {kilograms}kg {blend}? Account is {account}.",
                    "{account} - {blend} x {kilograms} kg",
                    "please send {kilograms} kilos of {blend} to {account}",
                    "We'd like to reorder {blend}, {kilograms} kg, on account {account}.",
                ),
                {
                    "order_id": ("WO-7731", "WO-8045", "WO-9120"),
                    "total_eur": (186.4, 412.5, 958.75),
                },
                "Order {order_id}: {kilograms} kg of {blend} for {account}, {total_eur} EUR.",
                "take wholesale coffee orders",
                missing=(
                    (
                        "Please order 10 kg of House Espresso for us.",
                        "What is your wholesale account code?",
                    ),
                    (
                        "Account CR-118 would like some Night Shift.",
                        "How many kilograms would you like?",
                    ),
                ),
            ),
            Action(
                "wholesale_order_status",
                "Where a wholesale order is in roasting and dispatch.",
                (Param("order_id", "string", "Order id, e.g. 'WO-7731'.", code("WO-####")),),
                (
                    "Where's order {order_id}?",
                    "Has {order_id} been roasted yet?",
                    "status {order_id}",
                    "Any update on {order_id}? The cafe's running low.",
                ),
                {
                    "stage": ("roasting", "packed", "dispatched"),
                    "roast_date": ("2026-03-02", "2026-03-09"),
                },
                "Order {order_id} is {stage}; roast date {roast_date}.",
                "track wholesale orders",
                missing=(("Where's our coffee order?", "What is the order id?"),),
            ),
        ),
        cannot=(
            ("Can you service our espresso machine?", "service coffee machines"),
            ("Send barista training dates for our new staff.", "schedule barista training"),
        ),
    ),
    Domain(
        "schoolbus",
        "school bus routes",
        (
            Action(
                "register_bus_pass",
                "Register a pupil for a school bus pass on a route.",
                (
                    Param(
                        "student_name",
                        "string",
                        "Pupil's full name.",
                        words("Ella Brooks", "Noah Haddad", "Maya Fernandes", "Oscar Dunn"),
                    ),
                    Param("route", "string", "Route code, e.g. 'S12'.", code("S##")),
                    Param("start_month", "string", "First month of travel as YYYY-MM.", month),
                    Param(
                        "escort",
                        "boolean",
                        "Pupil needs an escort on board.",
                        YES,
                        say=(" She needs an escort on board.", " An escort is required."),
                    ),
                ),
                (
                    "Please register {student_name} for route {route} from {start_month}.",
                    "bus pass: {student_name}, {route}, starting {start_month}",
                    "Can {student_name} start on the {route} bus in {start_month}?",
                    "{start_month} - {student_name} - route {route}",
                ),
                {
                    "pass_no": ("SB-20114", "SB-30872", "SB-41190"),
                    "fare_per_term_gbp": (0, 95, 140),
                },
                "{student_name} has pass {pass_no} on route {route} from {start_month}, £{fare_per_term_gbp} a term.",
                "register bus passes",
                missing=(
                    (
                        "Register Ella Brooks for the school bus from September 2026.",
                        "Which route?",
                    ),
                    (
                        "I'd like a school bus pass on route S12 from January.",
                        "What is the pupil's name?",
                    ),
                ),
            ),
            Action(
                "bus_stop_time",
                "When a school bus route calls at a stop, and the driver.",
                (
                    Param("route", "string", "Route code, e.g. 'S12'.", code("S##")),
                    Param(
                        "stop",
                        "string",
                        "Stop name.",
                        words(
                            "Oak Lane",
                            "St Mary's Church",
                            "Gate 3 Hilltop Primary",
                            "Fenwick Green",
                        ),
                    ),
                    Param(
                        "direction",
                        "string",
                        "Morning run to school or afternoon run home.",
                        words("to school", "home"),
                        enum=("to school", "home"),
                        say=(" Going {v}.", " The run {v}."),
                    ),
                ),
                (
                    "What time does {route} get to {stop}?",
                    "{route} at {stop}?",
                    "When does the bus come to {stop} on route {route}?",
                    "pickup time {stop} {route}",
                ),
                {"pickup_time": ("07:42", "08:05", "15:35"), "driver": ("Mr Evans", "Mrs Adeyemi")},
                "Route {route} calls at {stop} at {pickup_time}; driver {driver}.",
                "give bus stop times",
                missing=(("What time does the school bus get to Oak Lane?", "Which route?"),),
            ),
        ),
        cannot=(
            ("Can you add a stop outside our house?", "add new bus stops"),
            (
                "My son left his coat on the bus, can the driver keep it?",
                "hold items left on buses",
            ),
        ),
    ),
    Domain(
        "moorings",
        "boat mooring berths",
        (
            Action(
                "reserve_mooring",
                "Reserve a visitor berth at the marina for a boat.",
                (
                    Param(
                        "boat_name",
                        "string",
                        "Boat name.",
                        words("Sea Otter", "Wandering Star", "Mary Rose II", "Blue Heron"),
                    ),
                    Param(
                        "length_m",
                        "number",
                        "Length overall in metres, e.g. 9.5.",
                        decimal(6, 18, 1),
                    ),
                    Param("arrival", "string", "Arrival date as YYYY-MM-DD.", date),
                    Param("nights", "integer", "Number of nights.", count(2, 10)),
                    Param(
                        "shore_power",
                        "boolean",
                        "Berth with shore power.",
                        YES,
                        say=(" We'll need shore power.", " Power on the pontoon, please."),
                    ),
                ),
                (
                    "Berth for {boat_name}, {length_m} m, arriving {arrival} for {nights} nights.",
                    "Can you fit {boat_name} ({length_m}m) from {arrival}? {nights} nights.",
                    "{boat_name} {length_m}m {arrival} x{nights}",
                    "We're coming in on {arrival} on {boat_name}, {length_m} metres, staying {nights} nights.",
                ),
                {"berth": ("C14", "D3", "A22"), "fee_eur": (38, 64.5, 120)},
                "{boat_name} has berth {berth} from {arrival} for {nights} nights, {fee_eur} EUR.",
                "reserve mooring berths",
                missing=(
                    (
                        "Berth for Blue Heron for 3 nights from 2026-07-04, please.",
                        "How long is the boat, in metres?",
                    ),
                    (
                        "Can I reserve a mooring for a 9.5 m yacht, 2 nights from 12 July 2026?",
                        "What is the boat's name?",
                    ),
                ),
            ),
            Action(
                "berth_details",
                "Who is in a berth and how its electricity is charged.",
                (
                    Param(
                        "berth",
                        "string",
                        "Berth code, pontoon letter and number, e.g. 'C14'.",
                        code("@##"),
                    ),
                ),
                (
                    "Who's in berth {berth}?",
                    "{berth} details",
                    "Is {berth} taken?",
                    "what's moored at {berth} and is power included",
                ),
                {
                    "occupant": ("Kestrel", "Aurora", "no boat"),
                    "electricity": ("metered", "included"),
                },
                "Berth {berth} holds {occupant}; electricity is {electricity}.",
                "look up berths",
                missing=(("Who's moored in that berth?", "Which berth code?"),),
            ),
        ),
        cannot=(
            ("Can someone fill up our diesel tank?", "refuel boats"),
            ("Lift my boat out for winter.", "arrange lift-outs"),
        ),
    ),
    Domain(
        "cinemaloyalty",
        "cinema loyalty points",
        (
            Action(
                "claim_cinema_points",
                "Add points to a loyalty card for a ticket bought at the till.",
                (
                    Param(
                        "member_no",
                        "string",
                        "Loyalty member number, e.g. 'CL482913'.",
                        code("CL######"),
                    ),
                    Param(
                        "ticket_code",
                        "string",
                        "Code printed on the ticket, e.g. 'T-QX41-07'.",
                        code("T-@@##-##"),
                    ),
                    Param(
                        "snacks_spend",
                        "number",
                        "Amount spent on snacks in GBP.",
                        decimal(2, 20, 2),
                        say=(" I also spent £{v} on snacks.", " Plus £{v} at the snack bar."),
                    ),
                ),
                (
                    "Please add ticket {ticket_code} to my card {member_no}.",
                    "claim points: {member_no}, ticket {ticket_code}",
                    "I forgot to scan my card. Member {member_no}, ticket {ticket_code}.",
                    "{ticket_code} -> {member_no}",
                ),
                {"points_added": (40, 85, 120), "balance": (310, 1240, 2065)},
                "Added {points_added} points to {member_no} for {ticket_code}; balance is now {balance}.",
                "add loyalty points",
                missing=(
                    (
                        "Can you add points for ticket T-QX41-07? I forgot my card.",
                        "What is your loyalty member number?",
                    ),
                    (
                        "Please add my last cinema visit to card CL482913.",
                        "What is the code on your ticket?",
                    ),
                ),
            ),
            Action(
                "loyalty_points_summary",
                "Points balance on a loyalty card and free tickets it covers.",
                (
                    Param(
                        "member_no",
                        "string",
                        "Loyalty member number, e.g. 'CL482913'.",
                        code("CL######"),
                    ),
                    Param(
                        "month",
                        "string",
                        "Month to summarise as YYYY-MM; all time if omitted.",
                        month,
                        say=(" For {v}.", " Just {v}."),
                    ),
                ),
                (
                    "How many points do I have? Card {member_no}.",
                    "balance {member_no}",
                    "{member_no} - enough for a free ticket?",
                    "what's on card {member_no}",
                ),
                {"points": (120, 860, 2310), "free_tickets": (0, 1, 3)},
                "Card {member_no} has {points} points, enough for {free_tickets} free tickets.",
                "check points balances",
                missing=(("How many cinema points have I got?", "What is your member number?"),),
            ),
        ),
        cannot=(
            ("What time is the new Bond film showing tonight?", "list showtimes"),
            ("Merge my card with my partner's.", "merge loyalty accounts"),
        ),
    ),
    Domain(
        "evcharging",
        "EV charging stations",
        (
            Action(
                "reserve_charger",
                "Hold a charger at a station for an arrival time.",
                (
                    Param(
                        "station",
                        "string",
                        "Station name.",
                        words(
                            "Harbour Car Park",
                            "Ringway Retail Park",
                            "Junction 9 Services",
                            "Old Mill Yard",
                        ),
                    ),
                    Param("arrival_time", "string", "Arrival time as HH:MM.", clock),
                    Param(
                        "connector",
                        "string",
                        "Connector type.",
                        (
                            ("CCS", "CCS"),
                            ("CCS", "ccs"),
                            ("Type 2", "Type 2"),
                            ("Type 2", "type 2"),
                            ("CHAdeMO", "CHAdeMO"),
                        ),
                        enum=("CCS", "Type 2", "CHAdeMO"),
                    ),
                    Param(
                        "target_percent",
                        "integer",
                        "Charge target as a percentage, 50-100.",
                        count(50, 100, words=False),
                        say=(" Charge to {v}%.", " I only need {v}%."),
                    ),
                    Param(
                        "plate",
                        "string",
                        "Vehicle registration, e.g. 'AB12 CDE'.",
                        code("@@## @@@"),
                        say=(" Car reg {v}.", " It's {v}."),
                    ),
                ),
                (
                    "Please hold a {connector} charger at {station} for {arrival_time}.",
                    "{station}, {connector}, arriving {arrival_time}",
                    "Can I reserve a charger at {station}? I'll be there at {arrival_time}, {connector}.",
                    "{arrival_time} at {station} - need {connector}",
                    "book me a {connector} point, {station}, {arrival_time}",
                ),
                {"charger": ("bay 2", "bay 5", "bay 11"), "rate_per_kwh": (0.45, 0.69, 0.79)},
                "{charger} at {station} is held for {arrival_time} ({connector}), at £{rate_per_kwh} per kWh.",
                "reserve chargers",
                missing=(
                    ("Hold a CCS charger for me at 18:30.", "Which charging station?"),
                    (
                        "Reserve a charger at Harbour Car Park for 9am.",
                        "Which connector type do you need?",
                    ),
                ),
            ),
            Action(
                "charging_progress",
                "Charge level and energy delivered so far for a car plugged in, by registration.",
                (
                    Param(
                        "plate",
                        "string",
                        "Vehicle registration, e.g. 'AB12 CDE'.",
                        code("@@## @@@"),
                    ),
                ),
                (
                    "How's {plate} charging?",
                    "What percentage is {plate} at?",
                    "{plate} status",
                    "is my car {plate} done yet",
                ),
                {"charge_percent": (34, 68, 92), "kwh_delivered": (12.4, 28.9, 41.3)},
                "{plate} is at {charge_percent}% after {kwh_delivered} kWh.",
                "report charging progress",
                missing=(("How far along is my car's charge?", "What is the car's registration?"),),
            ),
        ),
        cannot=(
            ("My charging cable is stuck in the car, can you release it?", "release stuck cables"),
            ("Install a home charger at my house.", "install home chargers"),
            ("Refund the session that failed last night.", "refund charging sessions"),
        ),
    ),
]
