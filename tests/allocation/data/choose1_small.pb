META
key;value
description;Hand-made choose-1 round
budget;5000
vote_type;choose-1
PROJECTS
project_id;cost;name
k1;2500;Kunstwerk
k2;2000;Kas
VOTES
voter_id;vote
1;k1
2;k2
3;k2
