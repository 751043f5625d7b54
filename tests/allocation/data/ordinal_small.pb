META
key;value
description;Hand-made ordinal round
budget;7000
vote_type;ordinal
max_length;3
PROJECTS
project_id;cost;name
x;3000;Bibliotheek
y;3000;Buurthuis
z;2000;Moestuin
VOTES
voter_id;vote
1;x,y,z
2;z,x
3;y
