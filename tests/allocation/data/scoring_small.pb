META
key;value
description;Hand-made scoring round
budget;4000
vote_type;scoring
PROJECTS
project_id;cost;name
s1;1000;Lantaarn
s2;3000;Trap
VOTES
voter_id;vote;points
1;s1,s2;4,10
2;s2;7
