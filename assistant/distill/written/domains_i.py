"""Held-out hand-written services (see ``assistant/distill/written/__init__.py``): set I.

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
GOLF_COURSE = Param(
    "course",
    "string",
    "Golf course name, e.g. 'Carrick Dunes'.",
    words("Carrick Dunes", "Heron's Reach", "Old Moor", "Beech Hollow", "Saltmarsh Links"),
)
SAUNA_SITE = Param(
    "site",
    "string",
    "Sauna site name, e.g. 'Harbour Baths'.",
    words(
        "Harbour Baths", "Lakeside Huts", "Pier Sauna", "Dock Street Sauna", "Riverside Bathhouse"
    ),
)
STUDENT_NO = Param(
    "student_no",
    "string",
    "Club student number, e.g. 'MA-4027'.",
    code("MA-####"),
)
O_EVENT = Param(
    "event",
    "string",
    "Orienteering event name as listed in the fixtures.",
    words(
        "Cannock Chase Night Score",
        "Ashdown Forest Long",
        "Glen Affric Middle",
        "Sherwood Sprint",
        "Tentsmuir Relay",
    ),
)
BIRD_SPECIES = Param(
    "species",
    "string",
    "Bird species, common English name.",
    words("hen harrier", "hawfinch", "bittern", "red kite", "black redstart", "spoonbill"),
)
BOARD_GAME = words("Wingspan", "Ticket to Ride", "Catan", "Azul", "Pandemic", "Carcassonne")
KART_TRACK = Param(
    "track",
    "string",
    "Karting track name, e.g. 'Redline Raceway'.",
    words("Redline Raceway", "Fenland Circuit", "Quarry Lane Indoor", "Northgate Kart Arena"),
)
ARCHER_NO = Param(
    "member_no",
    "string",
    "Archery club membership number, e.g. 'AR-3318'.",
    code("AR-####"),
)
RESTAURANT = Param(
    "restaurant",
    "string",
    "Restaurant name.",
    words("Olive & Ash", "The Salt Room", "Bao Lane", "Casa Lucía", "The Lantern"),
)

DOMAINS: list[Domain] = [
    # -- golf tee times -------------------------------------------------------------------------
    Domain(
        "golf_tee_times",
        "golf tee time bookings",
        (
            Action(
                "book_tee_time",
                "Book a tee time for a group of golfers at a course.",
                (
                    GOLF_COURSE,
                    Param("play_date", "string", "Date of play as YYYY-MM-DD.", date),
                    Param("tee_time", "string", "Tee time as HH:MM, 24-hour clock.", clock),
                    Param("players", "integer", "Number of golfers, 1-4.", count(1, 4)),
                    Param(
                        "handicap",
                        "number",
                        "Lead golfer's handicap index, e.g. 14.2.",
                        decimal(0.0, 36.0),
                        say=(" My handicap is {v}.", " Handicap index {v}."),
                    ),
                    Param(
                        "buggy",
                        "boolean",
                        "Reserve a buggy for the round.",
                        YES,
                        say=(" We'll need a buggy.", " Could you reserve us a buggy too?"),
                    ),
                ),
                (
                    "Tee time at {course} on {play_date} at {tee_time} for {players}, please.",
                    "book {course} {play_date} {tee_time}, players: {players}",
                    "Hello, a few of us fancy a round - could we get {tee_time} at {course} on "
                    "{play_date}? There'll be {players} of us.",
                    "I'd like to book a {tee_time} tee time on {play_date} at {course} for "
                    "{players} golfers.",
                    "any chance of {course} at {tee_time} on {play_date}? {players} of us",
                ),
                {
                    "booking_ref": ("GT-30418", "GT-47260", "GT-58193"),
                    "green_fee_gbp": (96, 140, 188),
                },
                "{players} players are booked at {course} on {play_date} at {tee_time}: "
                "reference {booking_ref}, green fees {green_fee_gbp} GBP in total.",
                "book tee times",
                missing=(
                    (
                        "Can I book a tee time at Old Moor on Saturday for four of us?",
                        "What time would you like to tee off?",
                    ),
                    (
                        "Book two of us on at 08:40 on 2026-05-16, please.",
                        "Which course would you like to play?",
                    ),
                ),
            ),
            Action(
                "course_playing_conditions",
                "Whether a golf course is open, and whether buggies are allowed, on a day.",
                (
                    GOLF_COURSE,
                    Param(
                        "on_date",
                        "string",
                        "Date to check as YYYY-MM-DD; today if omitted.",
                        date,
                        say=(" For {v}.", " We're playing on {v}."),
                    ),
                ),
                (
                    "Is {course} open?",
                    "{course} conditions?",
                    "It's been raining all week - what's the course like at {course}?",
                    "could you tell me whether {course} is playable and if buggies are out",
                ),
                {
                    "course_status": (
                        "open, all 18 holes",
                        "open with temporary greens on 7 and 12",
                        "closed, waterlogged",
                    ),
                    "buggies": ("allowed", "on paths only", "not allowed"),
                },
                "{course} is {course_status}; buggies: {buggies}.",
                "check course conditions",
                missing=(
                    ("Is the course open today?", "Which course do you mean?"),
                    ("Are buggies allowed out this weekend?", "Which golf course is it?"),
                ),
            ),
        ),
        cannot=(
            ("Can you book me a lesson with the club pro?", "book golf lessons"),
            ("We got rained off on the 9th - can I have my green fee back?", "refund green fees"),
            ("Can I hire a set of clubs for Saturday?", "hire out golf clubs"),
        ),
    ),
    # -- sauna sessions -------------------------------------------------------------------------
    Domain(
        "sauna_sessions",
        "sauna session bookings",
        (
            Action(
                "book_sauna_session",
                "Book places on a timed sauna session at a site.",
                (
                    SAUNA_SITE,
                    Param("session_date", "string", "Session date as YYYY-MM-DD.", date),
                    Param("start_time", "string", "Session start as HH:MM, 24-hour.", clock),
                    Param("people", "integer", "Number of places, 1-6.", count(1, 6)),
                    Param(
                        "private_hire",
                        "boolean",
                        "Hire the whole sauna for the group alone.",
                        YES,
                        say=(
                            " We'd like it to ourselves, please.",
                            " Can we book it as a private hire?",
                        ),
                    ),
                ),
                (
                    "Sauna at {site} on {session_date}, {start_time} session, for {people}.",
                    "sauna {site} {session_date} {start_time}, people: {people}",
                    "Hiya! Could we get the {start_time} slot at {site} on {session_date}? "
                    "{people} of us, keen for a cold dip afterwards.",
                    "I would like to reserve the {start_time} sauna at {site} on {session_date}, "
                    "for {people}.",
                ),
                {
                    "booking_ref": ("SA-1184", "SA-2957", "SA-6630"),
                    "locker_code": ("4471", "9032", "2658"),
                },
                "{people} places at {site} on {session_date} at {start_time}: booking "
                "{booking_ref}, locker code {locker_code}.",
                "book sauna sessions",
                missing=(
                    (
                        "Can I book two places at Pier Sauna on 2026-02-07?",
                        "What time would you like the session to start?",
                    ),
                    (
                        "Book me the 07:30 sauna at Lakeside Huts, just me.",
                        "Which date would you like to come?",
                    ),
                ),
            ),
            Action(
                "sauna_live_status",
                "Current temperature and free spaces at a sauna site.",
                (
                    SAUNA_SITE,
                    Param(
                        "room",
                        "string",
                        "Which room; the sauna if omitted.",
                        (
                            ("sauna", "sauna"),
                            ("sauna", "hot room"),
                            ("steam room", "steam room"),
                            ("steam room", "hammam"),
                        ),
                        enum=("sauna", "steam room"),
                        say=(" I mean the {v}.", " How about the {v}?"),
                    ),
                ),
                (
                    "How hot is {site} right now?",
                    "{site} temp + spaces?",
                    "Thinking of popping down to {site} after work - how busy is it and how hot?",
                    "is there space at {site} at the moment",
                ),
                {"temperature_c": (78, 85, 92), "spaces_free": (0, 3, 9)},
                "{site} is at {temperature_c} C with {spaces_free} spaces free.",
                "check sauna temperature and spaces",
                missing=(("How hot is the sauna at the moment?", "Which sauna site do you mean?"),),
            ),
        ),
        cannot=(
            ("Can I buy a ten-session pass?", "sell session passes"),
            ("I can't make tonight - cancel my sauna booking.", "cancel bookings"),
            ("Can you book me a massage after my session?", "book massages"),
        ),
    ),
    # -- martial arts gradings ------------------------------------------------------------------
    Domain(
        "martial_arts_gradings",
        "martial arts grading entries",
        (
            Action(
                "enter_belt_grading",
                "Enter a student for a monthly belt grading.",
                (
                    STUDENT_NO,
                    Param(
                        "grade",
                        "string",
                        "Belt the student is grading for.",
                        (
                            ("yellow belt", "yellow belt"),
                            ("yellow belt", "9th kyu"),
                            ("orange belt", "orange belt"),
                            ("orange belt", "8th kyu"),
                            ("green belt", "green belt"),
                            ("green belt", "7th kyu"),
                            ("blue belt", "blue belt"),
                            ("blue belt", "6th kyu"),
                        ),
                        enum=("yellow belt", "orange belt", "green belt", "blue belt"),
                    ),
                    Param("grading_month", "string", "Grading month as YYYY-MM.", month),
                    Param(
                        "new_licence",
                        "boolean",
                        "Also issue a new association licence.",
                        YES,
                        say=(
                            " My licence has run out, so I'll need a new one.",
                            " Please add a new licence too.",
                        ),
                    ),
                ),
                (
                    "Please enter {student_no} for the {grade} grading in {grading_month}.",
                    "{student_no} - {grade}, {grading_month} grading",
                    "Sensei says my son is ready for {grade}! Could you put him in the "
                    "{grading_month} grading? Student number {student_no}.",
                    "i want to grade for {grade} in {grading_month}, my number is {student_no}",
                ),
                {
                    "entry_ref": ("GR-5512", "GR-6087", "GR-7349"),
                    "fee_gbp": (25, 30, 35),
                },
                "{student_no} is entered for the {grade} grading in {grading_month}: entry "
                "{entry_ref}, fee {fee_gbp} GBP.",
                "enter students for gradings",
                missing=(
                    (
                        "Can you enter MA-4027 for the March grading?",
                        "Which belt is the student grading for?",
                    ),
                    (
                        "I'd like to grade for green belt in 2026-06.",
                        "What is your student number?",
                    ),
                ),
            ),
            Action(
                "belt_grading_result",
                "A student's result and examiner at a past grading.",
                (
                    STUDENT_NO,
                    Param(
                        "grading_month",
                        "string",
                        "Grading month as YYYY-MM; the latest grading if omitted.",
                        month,
                        say=(" The {v} grading.", " I mean the one in {v}."),
                    ),
                ),
                (
                    "Did {student_no} pass?",
                    "grading result {student_no}",
                    "My daughter is desperate to know how her grading went - student {student_no}.",
                    "Could you look up the grading result for {student_no}, please?",
                ),
                {
                    "outcome": (
                        "passed",
                        "passed with distinction",
                        "referred, retake in three months",
                    ),
                    "examiner": ("Sensei Okafor", "Sensei Marsh", "Sensei Tanaka"),
                },
                "{student_no}: {outcome} (examiner {examiner}).",
                "look up grading results",
                missing=(("Did I pass my grading last month?", "What is your student number?"),),
            ),
        ),
        cannot=(
            ("Can you order me a new gi in size 4?", "sell uniforms"),
            ("I've hurt my knee, can I get my grading fee back?", "refund grading fees"),
            ("Move me from the Tuesday to the Thursday class.", "change class times"),
        ),
    ),
    # -- orienteering events --------------------------------------------------------------------
    Domain(
        "orienteering_events",
        "orienteering event entries",
        (
            Action(
                "enter_orienteering_event",
                "Enter a competitor on a course at an orienteering event.",
                (
                    O_EVENT,
                    Param(
                        "course",
                        "string",
                        "Colour-coded course.",
                        words("yellow", "orange", "green", "blue", "brown"),
                        enum=("yellow", "orange", "green", "blue", "brown"),
                    ),
                    Param(
                        "age_class",
                        "string",
                        "British Orienteering age class, e.g. 'M21' or 'W45'.",
                        words("M21", "W45", "M60", "W16", "M35", "W55"),
                    ),
                    Param(
                        "si_card",
                        "string",
                        "SI timing card number, 7 digits; a hire card if omitted.",
                        code("#######"),
                        say=(" My SI card is {v}.", " Dibber number {v}."),
                    ),
                    Param(
                        "hire_compass",
                        "boolean",
                        "Hire a compass on the day.",
                        YES,
                        say=(" I'll need to borrow a compass.", " Can I hire a compass too?"),
                    ),
                ),
                (
                    "Enter me for {event}, {course} course, class {age_class}.",
                    "{event}: {course}, {age_class}",
                    "First time at a proper event! Could you enter me on the {course} course at "
                    "{event}? I'm {age_class}.",
                    "please enter me as {age_class} on the {course} course at {event}",
                ),
                {
                    "start_time": ("10:42", "11:17", "12:05"),
                    "entry_fee_gbp": (8.5, 11.0, 14.0),
                },
                "You're entered for {event} on {course} in {age_class}: start {start_time}, "
                "fee {entry_fee_gbp} GBP.",
                "enter orienteering events",
                missing=(
                    (
                        "Enter me for Sherwood Sprint on the blue course, please.",
                        "What is your age class?",
                    ),
                    (
                        "Can I do the green course as a W45?",
                        "Which event would you like to enter?",
                    ),
                ),
            ),
            Action(
                "orienteering_result",
                "A competitor's finishing position and time at an event.",
                (
                    O_EVENT,
                    Param(
                        "competitor",
                        "string",
                        "Competitor's full name as entered.",
                        words("Isla McBride", "Tomasz Nowak", "Ruth Ellery", "Kwame Asante"),
                    ),
                ),
                (
                    "How did {competitor} get on at {event}?",
                    "{competitor} result {event}",
                    "Could you look up {competitor}'s time from {event}? They won't tell me!",
                    "what position was {competitor} at {event}",
                ),
                {"position": (3, 12, 27), "time_taken": ("41:08", "58:33", "1:12:40")},
                "{competitor} finished in position {position} at {event} in {time_taken}.",
                "look up event results",
                missing=(
                    (
                        "How did Ruth Ellery do at the weekend's event?",
                        "Which event do you mean?",
                    ),
                    ("What was my time at Glen Affric Middle?", "What name did you enter under?"),
                ),
            ),
        ),
        cannot=(
            ("Can you email me the map for Sunday?", "send out maps"),
            ("I can't go - transfer my entry to my brother.", "transfer entries"),
            ("Could you set up a permanent course in our local park?", "plan permanent courses"),
        ),
    ),
    # -- bird sightings -------------------------------------------------------------------------
    Domain(
        "bird_sightings",
        "bird sighting records",
        (
            Action(
                "log_bird_sighting",
                "Submit a bird sighting to the county records.",
                (
                    BIRD_SPECIES,
                    Param(
                        "site",
                        "string",
                        "Where the bird was seen.",
                        words("Minsmere", "Titchwell Marsh", "Rainham Marshes", "Leighton Moss"),
                    ),
                    Param("seen_date", "string", "Date seen as YYYY-MM-DD.", date),
                    Param("number_seen", "integer", "How many birds were seen.", count(1, 30)),
                    Param(
                        "seen_time",
                        "string",
                        "Time seen as HH:MM, 24-hour.",
                        clock,
                        say=(" At about {v}.", " It was around {v}."),
                    ),
                    Param(
                        "photo",
                        "boolean",
                        "A photograph is available to support the record.",
                        YES,
                        say=(" I've got a photo of it.", " I managed a photo."),
                    ),
                ),
                (
                    "Log a {species} sighting at {site} on {seen_date}, count {number_seen}.",
                    "{species} x{number_seen}, {site}, {seen_date}",
                    "You'll never guess - {species} at {site} on {seen_date}, {number_seen} in "
                    "total! Can you record it?",
                    "please add a sighting: {species}, {number_seen} birds, {site}, {seen_date}",
                ),
                {
                    "record_id": ("BS-88213", "BS-90476", "BS-91502"),
                    "review": (
                        "accepted",
                        "sent to the county recorder",
                        "needs a written description",
                    ),
                },
                "Your {species} record from {site} is {record_id}: {review}.",
                "log bird sightings",
                missing=(
                    (
                        "I saw two hawfinches at Leighton Moss this morning, please log them.",
                        "Which date did you see them?",
                    ),
                    (
                        "Log a bittern on 2026-01-18, just the one.",
                        "Where did you see it?",
                    ),
                ),
            ),
            Action(
                "recent_bird_reports",
                "How many recent reports there are of a species, and the latest site.",
                (
                    BIRD_SPECIES,
                    Param(
                        "days",
                        "integer",
                        "How many days back to look; 7 if omitted.",
                        count(1, 14),
                        say=(" In the last {v} days.", " Over the past {v} days."),
                    ),
                ),
                (
                    "Any {species} sightings lately?",
                    "recent {species} reports",
                    "I've never seen a {species} - has anyone reported one lately, and where?",
                    "Where was the last {species} seen?",
                ),
                {
                    "reports": (2, 9, 23),
                    "latest_site": ("Cley Marshes", "Slimbridge", "Leighton Moss"),
                },
                "{species}: {reports} reports, most recently at {latest_site}.",
                "look up recent reports",
                missing=(
                    ("Has anything rare turned up this week?", "Which species are you after?"),
                ),
            ),
        ),
        cannot=(
            ("Can you identify this bird from my photo?", "identify birds from photos"),
            ("Delete the sighting I logged yesterday, it was a buzzard.", "delete sightings"),
            ("Book me on the guided dawn walk at Minsmere.", "book guided walks"),
        ),
    ),
    # -- board game café -----------------------------------------------------------------------
    Domain(
        "board_game_cafe",
        "board game café table bookings",
        (
            Action(
                "book_game_table",
                "Book a table at the board game café.",
                (
                    Param("visit_date", "string", "Visit date as YYYY-MM-DD.", date),
                    Param("arrival_time", "string", "Arrival time as HH:MM, 24-hour.", clock),
                    Param("party_size", "integer", "Number of people, 2-10.", count(2, 10)),
                    Param(
                        "game",
                        "string",
                        "A game to have set up on the table.",
                        BOARD_GAME,
                        say=(" Could you put {v} out for us?", " We'd love to play {v}."),
                    ),
                    Param(
                        "game_teacher",
                        "boolean",
                        "Ask a staff member to teach the group a game.",
                        YES,
                        say=(
                            " Could someone teach us a game?",
                            " We're beginners, so a games guru would help.",
                        ),
                    ),
                ),
                (
                    "Table for {party_size} on {visit_date} at {arrival_time}, please.",
                    "game table {visit_date} {arrival_time}, {party_size} ppl",
                    "It's my birthday! Can we book a table for {party_size} at {arrival_time} "
                    "on {visit_date}?",
                    "I'd like to book a games table for {party_size} people, arriving "
                    "{arrival_time} on {visit_date}.",
                ),
                {"table": ("T3", "T7", "T11"), "cover_gbp_each": (6.0, 7.5, 9.0)},
                "Table {table} is booked for {party_size} on {visit_date} at {arrival_time}; "
                "cover charge {cover_gbp_each} GBP each.",
                "book café tables",
                missing=(
                    (
                        "Can we get a table for six on Friday evening?",
                        "What time will you arrive?",
                    ),
                    (
                        "Book a table for 19:30 on 2026-03-13, please.",
                        "How many people will there be?",
                    ),
                ),
            ),
            Action(
                "game_copy_availability",
                "Whether a game from the café's library is free to play, and its shelf.",
                (
                    Param("game", "string", "Game title.", BOARD_GAME),
                    Param(
                        "complete_only",
                        "boolean",
                        "Only count copies with no missing pieces.",
                        YES,
                        say=(" It needs to have all its pieces.", " Only complete copies."),
                    ),
                ),
                (
                    "Is {game} free?",
                    "{game} available?",
                    "We're coming in tonight and really want to play {game} - is a copy free?",
                    "do you have a copy of {game} on the shelves right now",
                ),
                {"copies_free": (0, 1, 2), "shelf": ("A3", "C1", "F6")},
                "{game}: {copies_free} copies free, shelf {shelf}.",
                "check which games are free",
                missing=(("Is the game we want available?", "Which game do you mean?"),),
            ),
        ),
        cannot=(
            ("Can I buy a copy of Wingspan from you?", "sell games"),
            ("Order us two cheese toasties to table 7.", "take food orders"),
            ("Something's come up - cancel our table for tonight.", "cancel table bookings"),
        ),
    ),
    # -- go-karting -----------------------------------------------------------------------------
    Domain(
        "go_karting",
        "go-karting race bookings",
        (
            Action(
                "book_kart_race",
                "Book a go-karting race event for a group.",
                (
                    KART_TRACK,
                    Param("race_date", "string", "Race date as YYYY-MM-DD.", date),
                    Param("drivers", "integer", "Number of drivers, 2-12.", count(2, 12)),
                    Param(
                        "race_format",
                        "string",
                        "Race format.",
                        (
                            ("grand prix", "grand prix"),
                            ("grand prix", "GP"),
                            ("endurance", "endurance"),
                            ("endurance", "endurance race"),
                            ("arrive and drive", "arrive and drive"),
                            ("arrive and drive", "taster session"),
                        ),
                        enum=("grand prix", "endurance", "arrive and drive"),
                    ),
                    Param(
                        "cadet_karts",
                        "boolean",
                        "Include cadet karts for drivers aged 8-12.",
                        YES,
                        say=(
                            " Some of the drivers are under 12.",
                            " We'll need a couple of cadet karts for the kids.",
                        ),
                    ),
                ),
                (
                    "Book a {race_format} at {track} on {race_date} for {drivers} drivers.",
                    "{track} {race_date}, {race_format}, {drivers} drivers",
                    "It's my stag do! Could we do a {race_format} at {track} on {race_date}? "
                    "{drivers} of us.",
                    "we want {drivers} drivers on a {race_format} at {track}, {race_date} please",
                ),
                {"race_ref": ("KR-21047", "KR-33918", "KR-40265"), "price_gbp": (180, 315, 540)},
                "{drivers} drivers are booked for a {race_format} at {track} on {race_date}: "
                "reference {race_ref}, {price_gbp} GBP.",
                "book kart races",
                missing=(
                    (
                        "Can we book a grand prix at Fenland Circuit for eight drivers?",
                        "Which date would you like to race?",
                    ),
                    (
                        "Book an endurance race on 2026-09-05 for ten of us.",
                        "Which track would you like?",
                    ),
                ),
            ),
            Action(
                "kart_driver_laps",
                "A registered driver's best lap and number of races, by driver id.",
                (
                    Param(
                        "driver_id",
                        "string",
                        "Driver id from the race sheet, e.g. 'KD-204518'.",
                        code("KD-######"),
                    ),
                    Param(
                        "track",
                        "string",
                        "Only laps at this track; all tracks if omitted.",
                        words("Redline Raceway", "Fenland Circuit", "Quarry Lane Indoor"),
                        say=(" Just at {v}.", " Only counting {v}."),
                    ),
                ),
                (
                    "What's the best lap for {driver_id}?",
                    "{driver_id} lap times",
                    "My mate reckons he's quicker than me - what's my fastest lap? "
                    "I'm {driver_id}.",
                    "could you pull up driver {driver_id}'s stats",
                ),
                {"best_lap_s": (38.412, 41.07, 44.9), "races": (3, 11, 26)},
                "Driver {driver_id}: best lap {best_lap_s} s over {races} races.",
                "look up driver lap times",
                missing=(("What's my best lap time?", "What is your driver id?"),),
            ),
        ),
        cannot=(
            ("Can you sort a birthday cake for after the race?", "organise party catering"),
            ("The race was cut short by rain - can we have a refund?", "issue refunds"),
            ("Is there a minimum height for the adult karts?", "answer questions on kart rules"),
        ),
    ),
    # -- archery range --------------------------------------------------------------------------
    Domain(
        "archery_range",
        "archery range lane bookings",
        (
            Action(
                "book_archery_lane",
                "Book a shooting lane at the club's archery range.",
                (
                    ARCHER_NO,
                    Param("lane_date", "string", "Date as YYYY-MM-DD.", date),
                    Param("start_time", "string", "Start time as HH:MM, 24-hour.", clock),
                    Param(
                        "distance_m",
                        "integer",
                        "Shooting distance in metres: 18, 30, 50 or 70.",
                        ((18, "18"), (30, "30"), (50, "50"), (70, "70")),
                    ),
                    Param(
                        "bow",
                        "string",
                        "Bow style; recurve if omitted.",
                        (
                            ("recurve", "recurve"),
                            ("recurve", "Olympic recurve"),
                            ("compound", "compound"),
                            ("longbow", "longbow"),
                            ("longbow", "English longbow"),
                            ("barebow", "barebow"),
                        ),
                        enum=("recurve", "compound", "longbow", "barebow"),
                        say=(" I shoot {v}.", " Bow style: {v}."),
                    ),
                ),
                (
                    "Book me a lane at {distance_m} m on {lane_date} at {start_time}, "
                    "member {member_no}.",
                    "{member_no} lane {lane_date} {start_time} {distance_m}m",
                    "Practising for the county shoot - can I get a {distance_m} metre lane at "
                    "{start_time} on {lane_date}? My number's {member_no}.",
                    "could i book the range for {start_time} on {lane_date}, {distance_m}m, "
                    "{member_no}",
                ),
                {"lane": (2, 6, 11), "lane_ref": ("AL-1029", "AL-3387", "AL-5514")},
                "Lane {lane} at {distance_m} m is booked for {member_no} on {lane_date} at "
                "{start_time}: reference {lane_ref}.",
                "book range lanes",
                missing=(
                    (
                        "Can I book a 70 m lane on 2026-07-11 at 10:00?",
                        "What is your membership number?",
                    ),
                    (
                        "AR-3318 here, I'd like a 30 m lane on Saturday.",
                        "What time would you like to start?",
                    ),
                ),
            ),
            Action(
                "archery_score_average",
                "An archer's average score and arrows logged for a named round.",
                (
                    ARCHER_NO,
                    Param(
                        "round_name",
                        "string",
                        "Round name, e.g. 'Portsmouth' or 'WA 720'.",
                        words("Portsmouth", "WA 720", "York", "National", "Worcester"),
                    ),
                    Param(
                        "score_month",
                        "string",
                        "Only scores shot in this month, as YYYY-MM.",
                        month,
                        say=(" For {v}.", " Just in {v}."),
                    ),
                ),
                (
                    "What's my average on the {round_name}? Member {member_no}.",
                    "{member_no} {round_name} average",
                    "I feel like I've plateaued - could you show me my {round_name} scores? "
                    "I'm {member_no}.",
                    "average score for {member_no} shooting a {round_name}",
                ),
                {"average_score": (498, 556, 611), "arrows_logged": (144, 360, 720)},
                "{member_no} averages {average_score} on the {round_name}, from "
                "{arrows_logged} arrows logged.",
                "look up score averages",
                missing=(
                    (
                        "What's my average on the Portsmouth round?",
                        "What is your membership number?",
                    ),
                    ("AR-5120 - what's my average score?", "Which round do you mean?"),
                ),
            ),
        ),
        cannot=(
            ("Can you fix my bow? The string's fraying.", "repair bows"),
            ("Sign me up for the beginners' course in May.", "book beginners' courses"),
            ("Order me a dozen carbon arrows.", "sell arrows"),
        ),
    ),
    # -- butcher orders -------------------------------------------------------------------------
    Domain(
        "butcher_orders",
        "butcher's counter orders",
        (
            Action(
                "place_butcher_order",
                "Order a cut of meat from the butcher's counter for collection.",
                (
                    Param(
                        "cut",
                        "string",
                        "Cut of meat.",
                        words(
                            "rib of beef",
                            "leg of lamb",
                            "pork belly",
                            "chicken thighs",
                            "venison haunch",
                        ),
                    ),
                    Param("weight_kg", "number", "Weight in kilograms.", decimal(0.5, 4.5)),
                    Param("collect_date", "string", "Collection date as YYYY-MM-DD.", date),
                    Param(
                        "collect_time",
                        "string",
                        "Collection time as HH:MM, 24-hour; any time that day if omitted.",
                        clock,
                        say=(" I'll pop in at {v}.", " Collecting around {v}."),
                    ),
                    Param(
                        "boned_and_rolled",
                        "boolean",
                        "Bone and roll the joint.",
                        YES,
                        say=(" Boned and rolled, please.", " Could you take the bone out?"),
                    ),
                ),
                (
                    "{weight_kg} kg of {cut} for {collect_date}, please.",
                    "order {cut} {weight_kg}kg collect {collect_date}",
                    "We've got the in-laws over for Sunday lunch - could I order {weight_kg} kg "
                    "of {cut} to pick up on {collect_date}?",
                    "I'd like to order {cut}, about {weight_kg} kilos, for collection on "
                    "{collect_date}.",
                ),
                {
                    "order_no": ("BU-2291", "BU-4408", "BU-6175"),
                    "estimated_price_gbp": (18.4, 32.75, 57.9),
                },
                "{weight_kg} kg of {cut} is ordered for {collect_date}: order {order_no}, "
                "about {estimated_price_gbp} GBP.",
                "take meat orders",
                missing=(
                    (
                        "Could I order 2.5 kg of leg of lamb, please?",
                        "Which day would you like to collect it?",
                    ),
                    (
                        "I'd like some pork belly for collection on 2026-12-23.",
                        "How much would you like, in kilograms?",
                    ),
                ),
            ),
            Action(
                "butcher_order_ready",
                "Whether a butcher's order is ready to collect, and its final price.",
                (
                    Param(
                        "order_no",
                        "string",
                        "Order number, e.g. 'BU-4408'.",
                        code("BU-####"),
                    ),
                ),
                (
                    "Is order {order_no} ready?",
                    "{order_no} ready?",
                    "I'm just parking outside - is {order_no} ready for me to grab?",
                    "could you check on my meat order {order_no}, and what it came to",
                ),
                {
                    "state": (
                        "ready for collection",
                        "being prepared",
                        "waiting on delivery from the farm",
                    ),
                    "final_price_gbp": (21.6, 34.1, 55.25),
                },
                "Order {order_no} is {state}; the final price is {final_price_gbp} GBP.",
                "check whether orders are ready",
                missing=(("Is my order from the butcher ready yet?", "What is the order number?"),),
            ),
        ),
        cannot=(
            ("Can you deliver the order to my house instead?", "deliver orders"),
            ("Change my rib of beef to a smaller joint.", "change existing orders"),
            ("Could you make up a barbecue pack for twenty people?", "make up meat packs"),
        ),
    ),
    # -- flower deliveries ----------------------------------------------------------------------
    Domain(
        "flower_deliveries",
        "flower deliveries",
        (
            Action(
                "send_flower_delivery",
                "Send a bouquet to a recipient's postcode on a date.",
                (
                    Param(
                        "bouquet",
                        "string",
                        "Bouquet name from the florist's range.",
                        words("Spring Meadow", "Country Garden", "White Lily Luxe", "Sunburst"),
                    ),
                    Param(
                        "postcode",
                        "string",
                        "Recipient's postcode, e.g. 'LS6 2AB'.",
                        words("EH3 9QP", "LS6 2AB", "BS8 1TH", "NR2 4JU", "CF10 3NQ"),
                    ),
                    Param("delivery_date", "string", "Delivery date as YYYY-MM-DD.", date),
                    Param(
                        "size",
                        "string",
                        "Bouquet size; standard if omitted.",
                        (
                            ("standard", "standard"),
                            ("standard", "regular"),
                            ("deluxe", "deluxe"),
                            ("deluxe", "bigger"),
                            ("grand", "grand"),
                            ("grand", "largest"),
                        ),
                        enum=("standard", "deluxe", "grand"),
                        say=(" Make it the {v} size.", " The {v} one, please."),
                    ),
                    Param(
                        "card_message",
                        "string",
                        "Message for the gift card.",
                        words(
                            "Happy birthday, Mum",
                            "Thinking of you",
                            "Congratulations on the new job",
                        ),
                        say=(" The card should say '{v}'.", " Card: {v}."),
                    ),
                    Param(
                        "add_vase",
                        "boolean",
                        "Add a glass vase.",
                        YES,
                        say=(" Add a vase, please.", " Can you include a vase?"),
                    ),
                ),
                (
                    "Send {bouquet} to {postcode} on {delivery_date}.",
                    "{bouquet} -> {postcode}, {delivery_date}",
                    "It's my gran's 90th! Could you deliver the {bouquet} bouquet to {postcode} "
                    "on {delivery_date}?",
                    "I'd like flowers delivered on {delivery_date} to {postcode}: the {bouquet}.",
                ),
                {
                    "order_ref": ("FL-60218", "FL-71354", "FL-82406"),
                    "price_gbp": (34.99, 49.5, 72.0),
                },
                "{bouquet} will go to {postcode} on {delivery_date}: order {order_ref}, "
                "{price_gbp} GBP.",
                "send flowers",
                missing=(
                    (
                        "Please send Country Garden to BS8 1TH.",
                        "Which date should the flowers arrive?",
                    ),
                    (
                        "Can you deliver the Sunburst bouquet on 2026-05-10?",
                        "What is the recipient's postcode?",
                    ),
                ),
            ),
            Action(
                "track_flower_delivery",
                "Where a flower delivery is and when it was last updated.",
                (
                    Param(
                        "order_ref",
                        "string",
                        "Flower order reference, e.g. 'FL-71354'.",
                        code("FL-#####"),
                    ),
                ),
                (
                    "Where are the flowers for {order_ref}?",
                    "track {order_ref}",
                    "My sister hasn't had her flowers yet - could you check {order_ref}?",
                    "has order {order_ref} been delivered",
                ),
                {
                    "status": (
                        "out with the driver",
                        "delivered and signed for",
                        "left with a neighbour",
                    ),
                    "updated_at": ("09:12", "11:47", "15:30"),
                },
                "Order {order_ref} is {status} (last update {updated_at}).",
                "track flower deliveries",
                missing=(("Have my flowers been delivered?", "What is the order reference?"),),
            ),
        ),
        cannot=(
            ("The tulips arrived wilted - I want my money back.", "issue refunds"),
            ("Change the delivery address to my sister's flat.", "change delivery addresses"),
            ("Set up a monthly flower subscription for the office.", "set up subscriptions"),
        ),
    ),
    # -- restaurant tables ----------------------------------------------------------------------
    Domain(
        "restaurant_tables",
        "restaurant table reservations",
        (
            Action(
                "reserve_restaurant_table",
                "Reserve a table at a restaurant for a date and time.",
                (
                    RESTAURANT,
                    Param("dine_date", "string", "Date as YYYY-MM-DD.", date),
                    Param("dine_time", "string", "Time as HH:MM, 24-hour.", clock),
                    Param("covers", "integer", "Number of diners, 1-12.", count(1, 12)),
                    Param(
                        "seating",
                        "string",
                        "Seating area; indoor if omitted.",
                        (
                            ("indoor", "inside"),
                            ("indoor", "indoors"),
                            ("terrace", "on the terrace"),
                            ("terrace", "outside"),
                            ("counter", "at the counter"),
                            ("counter", "at the chef's counter"),
                        ),
                        enum=("indoor", "terrace", "counter"),
                        say=(" We'd like to sit {v}.", " Could we be {v}?"),
                    ),
                    Param(
                        "highchair",
                        "boolean",
                        "Set a highchair at the table.",
                        YES,
                        say=(
                            " We'll need a highchair.",
                            " We're bringing the baby, so a highchair.",
                        ),
                    ),
                ),
                (
                    "Table for {covers} at {restaurant}, {dine_date} at {dine_time}.",
                    "{restaurant} {dine_date} {dine_time}, covers: {covers}",
                    "It's our anniversary - could you get us into {restaurant} on {dine_date} "
                    "at {dine_time}? {covers} people.",
                    "I'd like to reserve a table for {covers} at {restaurant} at {dine_time} on "
                    "{dine_date}, please.",
                    "can u book {restaurant} for {covers}, {dine_time} {dine_date}",
                ),
                {
                    "confirmation_no": ("RT-7730", "RT-8142", "RT-9065"),
                    "table": ("table 4", "table 12", "the window table"),
                },
                "{restaurant} on {dine_date} at {dine_time} for {covers}: {table}, "
                "confirmation {confirmation_no}.",
                "reserve tables",
                missing=(
                    (
                        "Book The Salt Room for four on Friday, please.",
                        "What time would you like the table?",
                    ),
                    (
                        "Table for two at 20:00 on 2026-02-14?",
                        "Which restaurant would you like?",
                    ),
                ),
            ),
            Action(
                "restaurant_walk_in_wait",
                "The current walk-in wait at a restaurant for a party size.",
                (
                    RESTAURANT,
                    Param("party_size", "integer", "Number of diners.", count(1, 8)),
                ),
                (
                    "How long is the wait at {restaurant} for {party_size}?",
                    "{restaurant} walk-in wait, {party_size} people",
                    "We're just round the corner from {restaurant} - if {party_size} of us "
                    "turned up now, how long would we wait?",
                    "is there a queue at {restaurant} for a party of {party_size}",
                ),
                {"wait_minutes": (0, 25, 50), "next_free_table": ("19:15", "20:30", "21:45")},
                "The walk-in wait at {restaurant} for {party_size} is {wait_minutes} minutes; "
                "next free table at {next_free_table}.",
                "check walk-in waits",
                missing=(
                    (
                        "How long is the wait at Bao Lane right now?",
                        "How many people are in your party?",
                    ),
                    ("Is there a wait for a table for three?", "Which restaurant do you mean?"),
                ),
            ),
        ),
        cannot=(
            ("Can you send me the dessert menu?", "send menus"),
            ("Can I order a takeaway for collection at seven?", "take takeaway orders"),
            ("I'd like to complain about last night's service.", "handle complaints"),
        ),
    ),
    # -- taxi bookings --------------------------------------------------------------------------
    Domain(
        "taxi_bookings",
        "taxi bookings",
        (
            Action(
                "book_taxi",
                "Book a taxi from a pickup to a destination at a date and time.",
                (
                    Param(
                        "pickup",
                        "string",
                        "Pickup address or landmark.",
                        words("Leeds station", "14 Grange Road", "the Royal Infirmary", "Bar 44"),
                    ),
                    Param(
                        "destination",
                        "string",
                        "Destination address or landmark.",
                        words("Manchester Airport T2", "Headingley Stadium", "7 Oak Crescent"),
                    ),
                    Param("pickup_date", "string", "Pickup date as YYYY-MM-DD.", date),
                    Param("pickup_time", "string", "Pickup time as HH:MM, 24-hour.", clock),
                    Param(
                        "passengers",
                        "integer",
                        "Number of passengers; 1 if omitted.",
                        count(1, 8),
                        say=(" There are {v} of us.", " Passengers: {v}."),
                    ),
                    Param(
                        "vehicle",
                        "string",
                        "Vehicle type; saloon if omitted.",
                        (
                            ("saloon", "a saloon"),
                            ("saloon", "a normal car"),
                            ("estate", "an estate"),
                            ("estate", "an estate car"),
                            ("MPV", "an MPV"),
                            ("MPV", "a people carrier"),
                            ("wheelchair accessible", "a wheelchair-accessible cab"),
                        ),
                        enum=("saloon", "estate", "MPV", "wheelchair accessible"),
                        say=(" We'll need {v}.", " Could you send {v}?"),
                    ),
                ),
                (
                    "Taxi from {pickup} to {destination} on {pickup_date} at {pickup_time}.",
                    "cab {pickup} -> {destination}, {pickup_date} {pickup_time}",
                    "Hi there, I've an early flight - could you book a car from {pickup} to "
                    "{destination} at {pickup_time} on {pickup_date}?",
                    "I'd like a taxi on {pickup_date}, picking up at {pickup} at {pickup_time} "
                    "and going to {destination}.",
                ),
                {
                    "taxi_ref": ("TX-55012", "TX-61893", "TX-70427"),
                    "fare_estimate_gbp": (14.8, 27.5, 46.0),
                },
                "Your taxi from {pickup} to {destination} on {pickup_date} at {pickup_time} "
                "is booked: {taxi_ref}, about {fare_estimate_gbp} GBP.",
                "book taxis",
                missing=(
                    (
                        "Can I get a taxi from Leeds station to Headingley Stadium at 18:30?",
                        "Which date do you need the taxi?",
                    ),
                    (
                        "Book a cab from 14 Grange Road at 06:15 on 2026-04-02.",
                        "Where are you going?",
                    ),
                ),
            ),
            Action(
                "taxi_fare_quote",
                "A fare quote for a journey by distance and time of day.",
                (
                    Param(
                        "distance_miles",
                        "number",
                        "Journey distance in miles.",
                        decimal(1.0, 30.0),
                    ),
                    Param(
                        "time_band",
                        "string",
                        "Fare band by time of travel.",
                        (
                            ("day", "day"),
                            ("day", "daytime"),
                            ("night", "night"),
                            ("night", "late-night"),
                            ("bank holiday", "bank holiday"),
                        ),
                        enum=("day", "night", "bank holiday"),
                    ),
                    Param(
                        "return_trip",
                        "boolean",
                        "Quote for the return journey as well.",
                        YES,
                        say=(" And back again, please.", " Quote for a return trip."),
                    ),
                ),
                (
                    "How much is a {time_band} fare for {distance_miles} miles?",
                    "quote {distance_miles} mi, {time_band} rate",
                    "Roughly what would a {distance_miles} mile trip cost at the {time_band} "
                    "rate? Just budgeting for Saturday.",
                    "Could I have a fare quote: {distance_miles} miles, {time_band}?",
                ),
                {"fare_gbp": (9.4, 22.0, 51.6), "journey_minutes": (12, 25, 48)},
                "A {time_band} fare for {distance_miles} miles is about {fare_gbp} GBP, "
                "roughly {journey_minutes} minutes.",
                "quote taxi fares",
                missing=(
                    ("How much for a 12 mile taxi ride?", "What time of day will you travel?"),
                    (
                        "What's the late-night fare to the airport?",
                        "How far is the journey, in miles?",
                    ),
                ),
            ),
        ),
        cannot=(
            ("Cancel my taxi for tomorrow morning.", "cancel taxi bookings"),
            ("My driver took the long way round - I want a refund.", "issue refunds"),
            ("Can I set up a business account for my company?", "open business accounts"),
        ),
    ),
]
