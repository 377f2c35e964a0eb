"""Hand-written articles on stories unrelated to the seeds' phone call (an earthquake, a football match, a
chipmaker's results): each must become an event of its own."""

UNRELATED = [
    {"url": "https://example-news.com/chile-quake", "outlet": "example-news.com",
     "title": "Magnitude 6.8 earthquake strikes northern Chile, no casualties reported",
     "text": "A magnitude 6.8 earthquake struck northern Chile on Tuesday near the mining town of Calama, "
             "the national seismological center said. Authorities reported no casualties and minor damage "
             "to roads. The quake was felt in Antofagasta and in parts of Bolivia.",
     "published_at": "2021-12-28T14:00:00Z"},
    {"url": "https://sports.example.org/derby", "outlet": "sports.example.org",
     "title": "Liverpool beat Everton 4-1 in Merseyside derby",
     "text": "Mohamed Salah scored twice as Liverpool beat Everton 4-1 at Goodison Park on Wednesday, "
             "extending their unbeaten run to 18 league games. Everton manager Rafael Benitez said his side "
             "had been punished for defensive mistakes.",
     "published_at": "2021-12-29T22:30:00Z"},
    {"url": "https://tech.example.net/chipmaker-results", "outlet": "tech.example.net",
     "title": "Chipmaker TSMC reports record quarterly profit on strong demand",
     "text": "Taiwan Semiconductor Manufacturing Co reported a record quarterly profit in Taipei on Thursday, "
             "beating analyst estimates, as demand for chips used in smartphones and cars stayed strong. The "
             "company said it would raise capital spending next year.",
     "published_at": "2021-12-30T06:00:00Z"},
]
